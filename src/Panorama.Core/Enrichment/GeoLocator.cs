using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MaxMind.Db;

namespace Panorama.Core.Enrichment;

/// <summary>
/// Looks IP addresses up in MMDB files. Reads the record shapes users have: ip-location-db's (the country database
/// shipped by default, <c>{country_code}</c>, and its city ones, <c>{country_code, state1, city}</c>) and MaxMind's
/// GeoIP2/GeoLite2 City (<c>country.iso_code</c>, <c>subdivisions[0].names.en</c>, <c>city.names.en</c>). Several files
/// may be given, as ip-location-db publishes IPv4 and IPv6 separately: the first that knows the address answers, and an
/// IPv6 address never goes to an IPv4-only file, whose tree would answer it from the address's first 32 bits.
/// </summary>
public sealed class GeoLocator : IDisposable
{
    readonly Reader[] readers;
    // Without region and city (a country database), the same few hundred answers repeat: one object each.
    readonly ConcurrentDictionary<string, GeoLocation> countries = new(StringComparer.Ordinal);

    GeoLocator(Reader[] readers) => this.readers = readers;

    /// <summary>Opens the files that exist; none means every address is unknown.</summary>
    public static GeoLocator Load(params string[] paths) =>
        new(paths.Where(File.Exists).Select(path => new Reader(path, FileAccessMode.Memory)).ToArray());

    public bool IsLoaded => readers.Length > 0;

    public GeoLocation Locate(string ip)
    {
        if (readers.Length == 0 || !IPAddress.TryParse(ip, out var address)) return GeoLocation.Unknown;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        foreach (var reader in readers)
        {
            if (address.AddressFamily == AddressFamily.InterNetworkV6 && reader.Metadata.IPVersion == 4) continue;
            MmdbRecord? record;
            try
            {
                record = reader.Find<MmdbRecord>(address);
            }
            catch (Exception exception) when (exception is InvalidDatabaseException or DeserializationException)
            {
                // A corrupt file, or one whose records have another shape (a string where a map was expected): unknown
                // here, never a failed request.
                continue;
            }
            if (record is not null) return Located(record);
        }
        return GeoLocation.Unknown;
    }

    GeoLocation Located(MmdbRecord record)
    {
        var country = (record.CountryCode ?? record.Country?.IsoCode ?? "").ToUpperInvariant();
        var region = record.State1 ?? record.Subdivisions?.FirstOrDefault()?.Names?.English ?? "";
        var city = record.City switch
        {
            string name => name,
            Dictionary<string, object> place when place.TryGetValue("names", out var n) && n is Dictionary<string, object> names
                && names.TryGetValue("en", out var english) => english as string ?? "",
            _ => "",
        };
        if (region.Length > 0 || city.Length > 0) return new GeoLocation(country, region, city);
        return countries.GetOrAdd(country, code => new GeoLocation(code, "", ""));
    }

    public void Dispose()
    {
        foreach (var reader in readers) reader.Dispose();
    }

    /// <summary>The keys read from a record; the decoder skips the others (coordinates, time zone, other languages).</summary>
    internal sealed class MmdbRecord
    {
        [Constructor]
        public MmdbRecord(
            [MapKey("country_code")] string? countryCode = null,
            [MapKey("state1")] string? state1 = null,
            [MapKey("country")] MmdbPlace? country = null,
            [MapKey("subdivisions")] List<MmdbPlace>? subdivisions = null,
            // A name in ip-location-db's records, a map with names in MaxMind's.
            [MapKey("city")] object? city = null)
        {
            CountryCode = countryCode;
            State1 = state1;
            Country = country;
            Subdivisions = subdivisions;
            City = city;
        }

        public string? CountryCode { get; }
        public string? State1 { get; }
        public MmdbPlace? Country { get; }
        public List<MmdbPlace>? Subdivisions { get; }
        public object? City { get; }
    }

    internal sealed class MmdbPlace
    {
        [Constructor]
        public MmdbPlace([MapKey("iso_code")] string? isoCode = null, [MapKey("names")] MmdbNames? names = null)
        {
            IsoCode = isoCode;
            Names = names;
        }

        public string? IsoCode { get; }
        public MmdbNames? Names { get; }
    }

    internal sealed class MmdbNames
    {
        [Constructor]
        public MmdbNames([MapKey("en")] string? english = null) => English = english;

        public string? English { get; }
    }
}
