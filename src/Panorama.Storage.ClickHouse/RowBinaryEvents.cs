using System.Buffers.Binary;
using System.Text;
using Panorama.Core.Ingestion;

namespace Panorama.Storage.ClickHouse;

/// <summary>Encodes events as ClickHouse RowBinary in <see cref="ClickHouseSchema.Columns"/> order, into one reusable buffer.</summary>
public sealed class RowBinaryEvents
{
    byte[] buffer = new byte[1 << 20];
    int length;

    public byte[] Buffer => buffer;
    public int Length => length;

    public void Clear() => length = 0;

    public void Write(EnrichedEvent e, int node)
    {
        UInt16((ushort)node);
        Int64(e.Sequence);
        UInt32((uint)e.SiteId);
        UInt32((uint)(e.Timestamp - DateTime.UnixEpoch).TotalSeconds);
        Int64(ClickHouseSql.Micros(e.Timestamp));
        Int64(e.VisitorId);
        Int64(e.PreviousDayVisitorId);
        foreach (var text in (ReadOnlySpan<string>)[e.Name, e.Pathname, e.Hostname, e.Referrer, e.Source, e.Channel, e.UtmSource, e.UtmMedium, e.UtmCampaign,
                     e.UtmContent, e.UtmTerm, e.Browser, e.BrowserVersion, e.OperatingSystem, e.OperatingSystemVersion, e.Device, e.Screen, e.Country,
                     e.Region, e.City])
            String(text);
        Strings(e.PropKeys);
        Strings(e.PropValues);
        if (e.RevenueAmount is { } amount) { Byte(0); Int64((long)decimal.Round(amount * 1_000_000m)); } else Byte(1);
        String(e.RevenueCurrency);
        if (e.EngagementMilliseconds is { } engaged) { Byte(0); Int32(engaged); } else Byte(1);
        if (e.ScrollDepth is { } depth) { Byte(0); Int16((short)depth); } else Byte(1);
        Byte(e.Interactive ? (byte)1 : (byte)0);
    }

    Span<byte> Take(int count)
    {
        if (length + count > buffer.Length) Array.Resize(ref buffer, Math.Max(buffer.Length * 2, length + count));
        var span = buffer.AsSpan(length, count);
        length += count;
        return span;
    }

    void Byte(byte value) => Take(1)[0] = value;
    void UInt16(ushort value) => BinaryPrimitives.WriteUInt16LittleEndian(Take(2), value);
    void Int16(short value) => BinaryPrimitives.WriteInt16LittleEndian(Take(2), value);
    void UInt32(uint value) => BinaryPrimitives.WriteUInt32LittleEndian(Take(4), value);
    void Int32(int value) => BinaryPrimitives.WriteInt32LittleEndian(Take(4), value);
    void Int64(long value) => BinaryPrimitives.WriteInt64LittleEndian(Take(8), value);

    void VarUInt(ulong value)
    {
        while (value >= 0x80) { Byte((byte)(value | 0x80)); value >>= 7; }
        Byte((byte)value);
    }

    void String(string value)
    {
        var bytes = Encoding.UTF8.GetByteCount(value);
        VarUInt((ulong)bytes);
        Encoding.UTF8.GetBytes(value, Take(bytes));
    }

    void Strings(string[] values)
    {
        VarUInt((ulong)values.Length);
        foreach (var value in values) String(value);
    }
}
