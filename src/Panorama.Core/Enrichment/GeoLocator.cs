using System.Net;
using MaxMind.Db;

namespace Panorama.Core.Enrichment;

/// <summary>
/// Looks IP addresses up in an MMDB file: the ip-location-db country database by default
/// (<c>{country_code}</c>), or a MaxMind-style city database (<c>country.iso_code</c>, <c>subdivisions</c>, <c>city</c>).
/// </summary>
public sealed class GeoLocator : IDisposable
{
    readonly Reader? reader;

    GeoLocator(Reader? reader) => this.reader = reader;

    public static GeoLocator Load(string path) => new(File.Exists(path) ? new Reader(path, FileAccessMode.Memory) : null);

    public bool IsLoaded => reader is not null;

    public GeoLocation Locate(string ip)
    {
        if (reader is null || !IPAddress.TryParse(ip, out var address)) return GeoLocation.Unknown;
        Dictionary<string, object>? record;
        try
        {
            record = reader.Find<Dictionary<string, object>>(address);
        }
        catch (InvalidDatabaseException)
        {
            return GeoLocation.Unknown;
        }
        if (record is null) return GeoLocation.Unknown;
        var country = record.TryGetValue("country_code", out var code) ? code as string
            : record.TryGetValue("country", out var c) && c is Dictionary<string, object> countryRecord && countryRecord.TryGetValue("iso_code", out var iso) ? iso as string
            : null;
        var region = record.TryGetValue("subdivisions", out var s) && s is List<object> { Count: > 0 } subdivisions
            && subdivisions[0] is Dictionary<string, object> first ? EnglishName(first) : "";
        var city = record.TryGetValue("city", out var ci) && ci is Dictionary<string, object> cityRecord ? EnglishName(cityRecord) : "";
        return new GeoLocation(country?.ToUpperInvariant() ?? "", region, city);
    }

    static string EnglishName(Dictionary<string, object> record) =>
        record.TryGetValue("names", out var n) && n is Dictionary<string, object> names && names.TryGetValue("en", out var en) ? en as string ?? "" : "";

    public void Dispose() => reader?.Dispose();
}
