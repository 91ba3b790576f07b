using System.Net;
using System.Text.Json.Nodes;
using Panorama.Tests.Support;
using static Panorama.Tests.Support.EventBodies;

namespace Panorama.Tests.Integration;

/// <summary>Known traffic sent through the public endpoint with server-side overrides, read back with exact numbers.</summary>
public sealed class ReportsThroughHttpTests : IAsyncLifetime
{
    const string Domain = "reports.example";
    TestServer server = null!;
    string key = "";
    static readonly DateTimeOffset Day = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);

    public async Task InitializeAsync()
    {
        server = await TestServer.StartAsync();
        var site = server.AddSite(Domain);
        key = server.CreateKey(site.Id);

        const string a = "77.88.55.88", b = "8.8.8.8", c = "2a02:6b8::2:242";
        JsonObject[] traffic =
        [
            Pageview(Domain, "/", Day.AddHours(10), a, UserAgents.ChromeWindows, "https://www.google.com/"),
            Pageview(Domain, "/pricing", Day.AddHours(10).AddMinutes(5), a, UserAgents.ChromeWindows, $"https://{Domain}/"),
            Event("Signup", Domain, $"https://{Domain}/pricing", Day.AddHours(10).AddMinutes(6), a, UserAgents.ChromeWindows, props: new JsonObject { ["plan"] = "pro" }),
            Pageview(Domain, "/", Day.AddHours(11), a, UserAgents.ChromeWindows),
            Pageview(Domain, "/blog/x?utm_source=newsletter&utm_medium=email", Day.AddHours(10), b, UserAgents.SafariIphone),
            Event("engagement", Domain, $"https://{Domain}/blog/x", Day.AddHours(10).AddSeconds(30), b, UserAgents.SafariIphone),
            Pageview(Domain, "/", Day.AddHours(23).AddMinutes(50), c, UserAgents.ChromeAndroid, "https://yandex.ru/"),
            Pageview(Domain, "/catalog", Day.AddDays(1).AddMinutes(10), c, UserAgents.ChromeAndroid, $"https://{Domain}/"),
            Pageview(Domain, "/", Day.AddHours(12), "203.0.113.50", UserAgents.Googlebot),
        ];
        foreach (var body in traffic)
        {
            using var response = await server.PostEventAsync(body, key);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }
    }

    [Fact]
    public async Task Summary_Day_ExactNumbers()
    {
        var results = (await server.GetJsonAsync($"/api/v1/stats/summary?site_id={Domain}&period=day&date=2026-11-20", key))["results"]!;
        Assert.Equal(3, (int)results["visitors"]!);
        Assert.Equal(4, (int)results["visits"]!);
        Assert.Equal(5, (int)results["pageviews"]!);
        Assert.Equal(6, (int)results["events"]!);
        Assert.Equal(50, (double)results["bounce_rate"]!);
        Assert.Equal(390, (int)results["visit_duration"]!);
        Assert.Equal(1.5, (double)results["views_per_visit"]!);
    }

    [Fact]
    public async Task Summary_VisitAcrossMidnight_SameVisitorNextDay()
    {
        var results = (await server.GetJsonAsync($"/api/v1/stats/summary?site_id={Domain}&period=custom&date=2026-11-20,2026-11-21", key))["results"]!;
        Assert.Equal((3, 4, 6), ((int)results["visitors"]!, (int)results["visits"]!, (int)results["pageviews"]!));
        var nextDay = (await server.GetJsonAsync($"/api/v1/stats/summary?site_id={Domain}&period=day&date=2026-11-21", key))["results"]!;
        Assert.Equal((1, 0, 1), ((int)nextDay["visitors"]!, (int)nextDay["visits"]!, (int)nextDay["pageviews"]!));
    }

    [Fact]
    public async Task Breakdown_Channels_ExactRows()
    {
        var rows = await Rows("visit:channel");
        Assert.Equal(["Organic Search:2:2", "Direct:1:1", "Email:1:1"], rows.Select(r => $"{r["channel"]}:{r["visitors"]}:{r["visits"]}"));
    }

    [Fact]
    public async Task Breakdown_Sources_ExactRows()
    {
        var rows = await Rows("visit:source");
        Assert.Equal(["Direct / None", "Google", "Yandex", "newsletter"], rows.Select(r => (string)r["source"]!).Order(StringComparer.Ordinal));
        Assert.All(rows, r => Assert.Equal(1, (int)r["visitors"]!));
    }

    [Fact]
    public async Task Breakdown_Pages_ExactRows()
    {
        var rows = await Rows("event:page");
        Assert.Equal(["/:2:3", "/blog/x:1:1", "/pricing:1:1"], rows.Select(r => $"{r["page"]}:{r["visitors"]}:{r["pageviews"]}"));
    }

    [Fact]
    public async Task Breakdown_CountriesAndDevices_ExactRows()
    {
        Assert.Equal(["RU:2:3", "US:1:1"], (await Rows("visit:country")).Select(r => $"{r["country"]}:{r["visitors"]}:{r["visits"]}"));
        Assert.Equal(["Mobile:2:2", "Desktop:1:2"], (await Rows("visit:device")).Select(r => $"{r["device"]}:{r["visitors"]}:{r["visits"]}"));
    }

    [Fact]
    public async Task Breakdown_UnknownProperty_400NamingIt()
    {
        using var response = await Get($"/api/v1/stats/breakdown?site_id={Domain}&property=visit:shoe_size", key);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("'property'", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Stats_WithoutKey_401_WrongKey_401_OtherSitesKey_404()
    {
        using (var response = await server.Http.GetAsync($"/api/v1/stats/summary?site_id={Domain}")) Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using (var response = await Get($"/api/v1/stats/summary?site_id={Domain}", "pk_wrong")) Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var other = server.AddSite("other-" + Domain);
        var otherKey = server.CreateKey(other.Id);
        using (var response = await Get($"/api/v1/stats/summary?site_id={Domain}", otherKey)) Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        using (var response = await Get($"/api/v1/stats/summary?site_id=missing.example", key)) Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Metrics_BotCountedAsDropped()
    {
        var metrics = await server.Http.GetStringAsync("/metrics");
        Assert.Contains("panorama_events_dropped_total 1", metrics);
        Assert.Contains("panorama_events_accepted_total 8", metrics);
    }

    async Task<List<JsonNode>> Rows(string property) =>
        (await server.GetJsonAsync($"/api/v1/stats/breakdown?site_id={Domain}&period=day&date=2026-11-20&property={property}", key))["results"]!.AsArray().Select(n => n!).ToList();

    Task<HttpResponseMessage> Get(string path, string apiKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new("Bearer", apiKey);
        return server.Http.SendAsync(request);
    }

    public async Task DisposeAsync() => await server.DisposeAsync();
}
