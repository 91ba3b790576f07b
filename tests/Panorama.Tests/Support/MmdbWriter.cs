using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Panorama.Tests.Support;

/// <summary>
/// Writes a small MMDB file as the MaxMind DB format 2.0 specifies it (a binary search tree of 32-bit records, a data
/// section, metadata), so the geolocation tests read real files of each shape a user may configure (MaxMind's City
/// records, ip-location-db's flat ones, IPv4-only trees) through the same MaxMind.Db reader the server uses.
/// Values: string, double, ushort, uint, ulong (uint16, uint32, uint64), arrays (object[]) and maps (IReadOnlyDictionary&lt;string, object&gt;).
/// </summary>
public sealed class MmdbWriter(int ipVersion, string databaseType)
{
    readonly List<(byte[] Address, int Prefix, IReadOnlyDictionary<string, object> Record)> networks = [];

    public MmdbWriter Add(string network, IReadOnlyDictionary<string, object> record)
    {
        var parts = network.Split('/');
        var address = IPAddress.Parse(parts[0]).GetAddressBytes();
        if (address.Length * 8 != (ipVersion == 4 ? 32 : 128)) throw new ArgumentException($"{network} does not fit an IPv{ipVersion} tree");
        networks.Add((address, int.Parse(parts[1]), record));
        return this;
    }

    /// <summary>
    /// ip-location-db's city files as they are published (flat records, IPv4 and IPv6 apart): Bracknell, GB (81.2.69.0/24),
    /// Russia without a city (95.165.0.0/16), Moscow (2a02:6b8::/32).
    /// </summary>
    public static (string Ipv4, string Ipv6) IpLocationDbCityFiles(string folder)
    {
        var ipv4 = Path.Combine(folder, "city-ipv4.mmdb");
        new MmdbWriter(4, "city ipv4")
            .Add("81.2.69.0/24", new Dictionary<string, object>
            {
                ["city"] = "Bracknell", ["country_code"] = "GB", ["latitude"] = 51.4036, ["longitude"] = -0.7618, ["postcode"] = "RG12",
                ["state1"] = "England", ["state2"] = "Bracknell Forest", ["timezone"] = "Europe/London",
            })
            .Add("95.165.0.0/16", new Dictionary<string, object> { ["city"] = "", ["country_code"] = "RU", ["state1"] = "" })
            .Save(ipv4);
        var ipv6 = Path.Combine(folder, "city-ipv6.mmdb");
        new MmdbWriter(6, "city ipv6")
            .Add("2a02:6b8::/32", new Dictionary<string, object> { ["city"] = "Moscow", ["country_code"] = "RU", ["state1"] = "Moscow", ["latitude"] = 55.7386 })
            .Save(ipv6);
        return (ipv4, ipv6);
    }

    sealed class Node
    {
        public readonly object?[] Children = new object?[2]; // Node, a data offset (int) or null (no data)
        public int Index;
    }

    public void Save(string path)
    {
        var data = new MemoryStream();
        var root = new Node();
        foreach (var (address, prefix, record) in networks)
        {
            var offset = (int)data.Length;
            Write(data, record);
            var node = root;
            for (var bit = 0; bit < prefix; bit++)
            {
                var side = (address[bit / 8] >> (7 - bit % 8)) & 1;
                if (bit == prefix - 1) node.Children[side] = offset;
                else node = (Node)(node.Children[side] ??= new Node());
            }
        }
        var nodes = new List<Node>();
        var queue = new Queue<Node>([root]);
        while (queue.TryDequeue(out var node))
        {
            node.Index = nodes.Count;
            nodes.Add(node);
            foreach (var child in node.Children) if (child is Node next) queue.Enqueue(next);
        }
        using var file = File.Create(path);
        Span<byte> cell = stackalloc byte[4];
        foreach (var node in nodes)
        {
            foreach (var child in node.Children)
            {
                // A record is a node's index, the node count for "no data", or node count + 16 + the data's offset.
                var value = child switch { Node next => next.Index, int offset => nodes.Count + 16 + offset, _ => nodes.Count };
                BinaryPrimitives.WriteUInt32BigEndian(cell, (uint)value);
                file.Write(cell);
            }
        }
        file.Write(new byte[16]);
        data.WriteTo(file);
        file.Write([0xAB, 0xCD, 0xEF, .. "MaxMind.com"u8]);
        var metadata = new MemoryStream();
        Write(metadata, new Dictionary<string, object>
        {
            ["node_count"] = (uint)nodes.Count, ["record_size"] = (ushort)32, ["ip_version"] = (ushort)ipVersion, ["database_type"] = databaseType,
            ["languages"] = new object[] { "en" }, ["binary_format_major_version"] = (ushort)2, ["binary_format_minor_version"] = (ushort)0,
            ["build_epoch"] = 1_700_000_000UL, ["description"] = new Dictionary<string, object> { ["en"] = "Panorama test database" },
        });
        metadata.WriteTo(file);
    }

    static void Write(Stream output, object value)
    {
        switch (value)
        {
            case string text:
                var bytes = Encoding.UTF8.GetBytes(text);
                Control(output, 2, bytes.Length);
                output.Write(bytes);
                break;
            case double number:
                Control(output, 3, 8);
                Span<byte> eight = stackalloc byte[8];
                BinaryPrimitives.WriteDoubleBigEndian(eight, number);
                output.Write(eight);
                break;
            case ushort number:
                Control(output, 5, 2);
                Span<byte> two = stackalloc byte[2];
                BinaryPrimitives.WriteUInt16BigEndian(two, number);
                output.Write(two);
                break;
            case uint number:
                Control(output, 6, 4);
                Span<byte> four = stackalloc byte[4];
                BinaryPrimitives.WriteUInt32BigEndian(four, number);
                output.Write(four);
                break;
            case ulong number:
                Control(output, 9, 8);
                Span<byte> wide = stackalloc byte[8];
                BinaryPrimitives.WriteUInt64BigEndian(wide, number);
                output.Write(wide);
                break;
            case IReadOnlyDictionary<string, object> map:
                Control(output, 7, map.Count);
                foreach (var (key, item) in map)
                {
                    Write(output, key);
                    Write(output, item);
                }
                break;
            case object[] array:
                Control(output, 11, array.Length);
                foreach (var item in array) Write(output, item);
                break;
            default:
                throw new ArgumentException($"MmdbWriter does not write {value.GetType().Name}");
        }
    }

    /// <summary>A control byte: the type in the top three bits (0 then a byte of type − 7 for types above 7), the size below.</summary>
    static void Control(Stream output, int type, int size)
    {
        if (size >= 285) throw new ArgumentException("MmdbWriter writes sizes under 285");
        output.WriteByte((byte)((type <= 7 ? type << 5 : 0) | Math.Min(size, 29)));
        if (type > 7) output.WriteByte((byte)(type - 7));
        if (size >= 29) output.WriteByte((byte)(size - 29));
    }
}
