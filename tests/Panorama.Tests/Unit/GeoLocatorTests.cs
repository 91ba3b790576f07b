using Panorama.Core.Enrichment;
using Panorama.Tests.Support;

namespace Panorama.Tests.Unit;

public sealed class GeoLocatorTests : IDisposable
{
    readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    [Theory]
    [InlineData("77.88.55.88", "RU")]
    [InlineData("8.8.8.8", "US")]
    [InlineData("2a02:6b8::2:242", "RU")]
    [InlineData("::ffff:77.88.55.88", "RU")]
    public void Locate_PublicAddress_Country(string ip, string country) => Assert.Equal(country, Enrichment.Data.Geo.Locate(ip).Country);

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("10.1.2.3")]
    [InlineData("not an ip")]
    public void Locate_PrivateOrInvalid_Unknown(string ip) => Assert.Equal("", Enrichment.Data.Geo.Locate(ip).Country);

    [Fact]
    public void Locate_IpLocationDbCityFiles_RegionAndCity_EachFamilyFromItsFile()
    {
        var (ipv4, ipv6) = MmdbWriter.IpLocationDbCityFiles(folder.Path);
        using var geo = GeoLocator.Load(ipv4, ipv6);
        Assert.Equal(new GeoLocation("GB", "England", "Bracknell"), geo.Locate("81.2.69.160"));
        Assert.Equal(new GeoLocation("GB", "England", "Bracknell"), geo.Locate("::ffff:81.2.69.160"));
        Assert.Equal(new GeoLocation("RU", "Moscow", "Moscow"), geo.Locate("2a02:6b8::2:242"));
        Assert.Equal(new GeoLocation("RU", "", ""), geo.Locate("95.165.1.1"));
        Assert.Equal(GeoLocation.Unknown, geo.Locate("8.8.8.8"));
    }

    [Fact]
    public void Locate_IPv6AddressWithOnlyAnIPv4File_NotAnsweredFromItsFirst32Bits()
    {
        var (ipv4, _) = MmdbWriter.IpLocationDbCityFiles(folder.Path);
        // 2a02:6b8:: begins with the bits of 42.2.6.184; an IPv4 tree holding that network must not answer for it.
        new MmdbWriter(4, "city ipv4").Add("42.2.0.0/16", new Dictionary<string, object> { ["city"] = "Hong Kong", ["country_code"] = "HK", ["state1"] = "" })
            .Save(ipv4);
        using var alone = GeoLocator.Load(ipv4);
        Assert.Equal(new GeoLocation("HK", "", "Hong Kong"), alone.Locate("42.2.6.184"));
        Assert.Equal(GeoLocation.Unknown, alone.Locate("2a02:6b8::2:242"));
        // The country database after it answers what the city file cannot.
        using var withCountries = GeoLocator.Load(ipv4, Path.Combine(Enrichment.Folder, "country.mmdb"));
        Assert.Equal(new GeoLocation("RU", "", ""), withCountries.Locate("2a02:6b8::2:242"));
    }

    [Fact]
    public void Locate_MaxMindCityDatabase_EnglishNames()
    {
        var path = Path.Combine(folder.Path, "GeoLite2-City.mmdb");
        static Dictionary<string, object> Names(string english, string russian) => new() { ["de"] = english, ["en"] = english, ["ru"] = russian };
        // IPv4 addresses sit at ::a.b.c.d in MaxMind's IPv6 trees.
        new MmdbWriter(6, "GeoLite2-City")
            .Add("::81.2.69.0/120", new Dictionary<string, object>
            {
                ["city"] = new Dictionary<string, object> { ["geoname_id"] = 2654710u, ["names"] = Names("Bracknell", "Брэкнелл") },
                ["continent"] = new Dictionary<string, object> { ["code"] = "EU", ["names"] = Names("Europe", "Европа") },
                ["country"] = new Dictionary<string, object> { ["iso_code"] = "GB", ["names"] = Names("United Kingdom", "Великобритания") },
                ["location"] = new Dictionary<string, object> { ["latitude"] = 51.4036, ["longitude"] = -0.7618 },
                ["subdivisions"] = new object[]
                {
                    new Dictionary<string, object> { ["iso_code"] = "ENG", ["names"] = Names("England", "Англия") },
                    new Dictionary<string, object> { ["iso_code"] = "BRC", ["names"] = Names("Bracknell Forest", "Брэкнелл-Форест") },
                },
            })
            .Add("2a02:6b8::/32", new Dictionary<string, object>
            {
                ["country"] = new Dictionary<string, object> { ["iso_code"] = "RU", ["names"] = Names("Russia", "Россия") },
            })
            .Save(path);
        using var geo = GeoLocator.Load(path);
        Assert.Equal(new GeoLocation("GB", "England", "Bracknell"), geo.Locate("81.2.69.160"));
        Assert.Equal(new GeoLocation("RU", "", ""), geo.Locate("2a02:6b8::2:242"));
        Assert.Equal(GeoLocation.Unknown, geo.Locate("8.8.8.8"));
    }

    [Fact]
    public void Locate_RecordOfAnotherShape_UnknownThereAndTheNextFileAnswers()
    {
        var path = Path.Combine(folder.Path, "odd.mmdb");
        // "country" as a name where MaxMind's records hold a map.
        new MmdbWriter(4, "odd").Add("77.88.0.0/16", new Dictionary<string, object> { ["country"] = "Russia" }).Save(path);
        using var geo = GeoLocator.Load(path, Path.Combine(Enrichment.Folder, "country.mmdb"));
        Assert.Equal(new GeoLocation("RU", "", ""), geo.Locate("77.88.55.88"));
    }
}
