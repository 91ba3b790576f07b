using System.Text.Json.Nodes;
using Panorama.Tests.Support;
using static Panorama.Tests.Support.EventBodies;

namespace Panorama.Tests.Integration;

/// <summary>A server given ip-location-db's two city files reports regions and cities, and countries from the default database for the rest.</summary>
public sealed class CityDatabaseTests : IDisposable
{
    const string Domain = "cities.example";
    readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task Breakdowns_CityFilesConfigured_RegionsAndCities_CountryDatabaseForTheRest()
    {
        var (ipv4, ipv6) = MmdbWriter.IpLocationDbCityFiles(folder.Path);
        await using var server = await TestServer.StartAsync($"--Panorama:Enrichment:CityDatabase={ipv4}, {ipv6}",
            "--Panorama:Enrichment:CityDatabaseCredit=This product includes GeoLite2 data created by MaxMind");
        // The credit the database's licence asks for is in every page's footer.
        Assert.Contains("<span id=\"city-credit\">This product includes GeoLite2 data created by MaxMind</span>", await server.Http.GetStringAsync("/login"));
        var key = server.CreateKey(server.AddSite(Domain).Id);
        var at = new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);
        foreach (var ip in new[] { "81.2.69.160", "81.2.69.161", "2a02:6b8::2:242", "8.8.8.8" })
        {
            using var response = await server.PostEventAsync(Pageview(Domain, "/", at, ip), key);
            response.EnsureSuccessStatusCode();
        }

        async Task<Dictionary<string, int>> Visitors(string property) =>
            (await server.GetJsonAsync($"/api/v1/stats/breakdown?site_id={Domain}&period=day&date=2026-11-20&property={property}", key))["results"]!.AsArray()
                .ToDictionary(row => row![property.Split(':')[1]]!.GetValue<string>(), row => (int)row!["visitors"]!);

        Assert.Equal(new Dictionary<string, int> { ["GB"] = 2, ["RU"] = 1, ["US"] = 1 }, await Visitors("visit:country"));
        var regions = await Visitors("visit:region");
        Assert.Equal((2, 1), (regions["England"], regions["Moscow"]));
        var cities = await Visitors("visit:city");
        Assert.Equal((2, 1), (cities["Bracknell"], cities["Moscow"]));
    }

    [Fact]
    public async Task Start_ConfiguredCityFileMissing_FailsNamingIt()
    {
        var missing = Path.Combine(folder.Path, "nowhere.mmdb");
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => TestServer.StartAsync($"--Panorama:Enrichment:CityDatabase={missing}"));
        Assert.Contains(missing, error.Message);
    }
}
