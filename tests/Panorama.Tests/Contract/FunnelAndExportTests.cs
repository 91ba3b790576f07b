using Microsoft.Extensions.DependencyInjection;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Panorama.Tests.Contract;

public abstract class FunnelAndExportContract<TFixture>(TFixture fixture) where TFixture : QueryFixture
{
    async Task<(HttpStatusCode, JsonObject)> Post(string path, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", fixture.Key);
        using var response = await fixture.Server.Http.SendAsync(request);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }

    static IEnumerable<string> Steps(JsonObject body) => body["steps"]!.AsArray().Select(s =>
        $"{s!["label"]}|{s["visitors"]}|{s["conversion_rate"]}|{s["conversion_rate_step"]}|{s["dropoff"]}");

    [Fact]
    public async Task Funnel_ThreeSteps_InOrderWithinAVisit()
    {
        var (status, body) = await Post("/api/v2/funnel", """
            {"site_id": "contract.example", "date_range": ["2026-10-10", "2026-10-10"],
             "steps": [{"page": "/"}, {"page": "/blog/**"}, {"goal": "Purchase"}]}
            """);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["Visit /|2|100|100|0", "Visit /blog/**|1|50|50|1", "Purchase|1|50|100|0"], Steps(body));
    }

    [Fact]
    public async Task Funnel_StepsOutOfOrder_NotCompleted()
    {
        var (_, body) = await Post("/api/v2/funnel", """
            {"site_id": "contract.example", "date_range": ["2026-10-10", "2026-10-10"], "steps": [{"event": "Purchase"}, {"page": "/"}]}
            """);
        Assert.Equal(["Purchase|2|100|100|0", "Visit /|0|0|0|2"], Steps(body));
    }

    [Fact]
    public async Task Funnel_WithFilter_OnlyMatchingVisits()
    {
        var (_, body) = await Post("/api/v2/funnel", """
            {"site_id": "contract.example", "date_range": ["2026-10-10", "2026-10-10"], "filters": [["is", "visit:source", ["Google"]]],
             "steps": [{"page": "/"}, {"event": "Purchase"}]}
            """);
        Assert.Equal(["Visit /|1|100|100|0", "Purchase|1|100|100|0"], Steps(body));
    }

    [Fact]
    public async Task Funnel_WithEventFilter_OnlyMatchingEventsAreSteps()
    {
        // Without /pricing, C's first visit has no step left; C's second visit and A's still complete both steps.
        var (_, body) = await Post("/api/v2/funnel", """
            {"site_id": "contract.example", "date_range": ["2026-10-10", "2026-10-10"], "filters": [["is_not", "event:page", ["/pricing", "/blog/post-1"]]],
             "steps": [{"page": "/blog/**"}, {"page": "/"}, {"event": "Purchase"}]}
            """);
        // B's /blog/post-2 is the only blog page left, and B never reaches "/".
        Assert.Equal(["Visit /blog/**|1|100|100|0", "Visit /|0|0|0|1", "Purchase|0|0|0|0"], Steps(body));
    }

    [Fact]
    public async Task Funnel_WithHasDone_OnlyThoseVisitors()
    {
        var (_, body) = await Post("/api/v2/funnel", """
            {"site_id": "contract.example", "date_range": ["2026-10-10", "2026-10-10"], "filters": [["has_done", ["is", "event:goal", ["Signup"]]]],
             "steps": [{"page": "/"}, {"event": "Purchase"}]}
            """);
        Assert.Equal(["Visit /|1|100|100|0", "Purchase|1|100|100|0"], Steps(body));
    }

    [Theory]
    [InlineData("""{"site_id": "contract.example", "date_range": "7d", "steps": [{"page": "/"}]}""", "#/steps")]
    [InlineData("""{"site_id": "contract.example", "date_range": "7d", "steps": [{"page": "/"}, {"goal": "Nope"}]}""", "Nope")]
    [InlineData("""{"site_id": "contract.example", "date_range": "7d", "steps": [{"page": "/", "event": "x"}, {"page": "/a"}]}""", "exactly one")]
    [InlineData("""{"site_id": "contract.example", "date_range": "7d", "steps": [{"page": 1}, {"page": "/a"}]}""", "#/steps/0")]
    [InlineData("""{"site_id": "contract.example", "date_range": "7d", "steps": [{"page": "/"}, {"event": ["x"]}]}""", "#/steps/1")]
    [InlineData("""{"site_id": "contract.example", "date_range": "7d", "steps": [{"page": "/"}, "x"]}""", "#/steps/1")]
    public async Task Funnel_Invalid_400(string json, string expected)
    {
        var (status, body) = await Post("/api/v2/funnel", json);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(expected, (string)body["error"]!);
    }

    [Fact]
    public async Task Export_Zip_HoldsEveryStandardReport()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v2/export?site_id=contract.example&date_range=2026-10-10,2026-10-10");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", fixture.Key);
        using var response = await fixture.Server.Http.SendAsync(request);
        Assert.Equal("application/zip", response.Content.Headers.ContentType!.MediaType);
        using var zip = new ZipArchive(await response.Content.ReadAsStreamAsync());
        Assert.Contains("goals.csv", zip.Entries.Select(e => e.Name));
        Assert.Equal(16, zip.Entries.Count);
        using var sources = new StreamReader(zip.GetEntry("channels.csv")!.Open());
        var lines = (await sources.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("visit:channel,visitors,visits,bounce_rate,visit_duration", lines[0].TrimEnd('\r'));
        Assert.Equal("Organic Search,2,2,50,120", lines[1].TrimEnd('\r'));
    }

    [Fact]
    public async Task Export_WithFilters_EveryReportFiltered_AReportTheyRuleOutLeftOut()
    {
        async Task<HttpResponseMessage> Get(string filters)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v2/export?site_id=contract.example&date_range=2026-10-10,2026-10-10&filters={Uri.EscapeDataString(filters)}");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", fixture.Key);
            return await fixture.Server.Http.SendAsync(request);
        }
        // Russia: visitors A, C and D; their channels are Google, Yandex and Telegram, C's second visit direct.
        using (var russia = await Get("""[["is", "visit:country", ["RU"]]]"""))
        {
            using var zip = new ZipArchive(await russia.Content.ReadAsStreamAsync());
            using var countries = new StreamReader(zip.GetEntry("countries.csv")!.Open());
            Assert.Equal(["visit:country_name,visitors,visits", "Russia,3,4"], (await countries.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')));
        }
        // Views per visit is no figure under a goal filter: the visitors file is left out, the others stay.
        using (var purchasers = await Get("""[["is", "event:goal", ["Purchase"]]]"""))
        {
            using var zip = new ZipArchive(await purchasers.Content.ReadAsStreamAsync());
            Assert.DoesNotContain("visitors.csv", zip.Entries.Select(e => e.Name));
            Assert.Equal(15, zip.Entries.Count);
        }
        using var bad = await Get("""[["is", "visit:shoe", ["x"]]]""");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("visit:shoe", await bad.Content.ReadAsStringAsync());
        using var notJson = await Get("[[");
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
    }

    /// <summary>The ROI page's attribution input: each conversion with the visits of the same person before it.</summary>
    [Fact]
    public async Task ConversionPaths_EachPurchaseWithTheVisitsBeforeIt()
    {
        var site = fixture.Server.Services.GetRequiredService<Panorama.Core.Sites.SiteDirectory>().FindByDomain(QueryFixture.Domain)!;
        var purchase = fixture.Server.Services.GetRequiredService<Panorama.Core.Goals.GoalService>().ForSite(site.Id).Single(g => g.EventName == "Purchase");
        var engine = fixture.Server.Services.GetRequiredService<Panorama.Core.Reports.Query.IQueryEngine>();
        var day = QueryFixture.Day.UtcDateTime;
        var paths = await engine.ConversionPathsAsync(site.Id, new Panorama.Core.Reports.DateRange(day, day.AddDays(1)), purchase, TimeSpan.FromDays(30), CancellationToken.None);
        Assert.Equal(
            [
                "10:04|100.50|10:00 Organic Search (none)",
                "12:41|50.00|12:00 Organic Search (none), 12:40 Direct (none)",
            ],
            paths.Select(p => $"{p.ConvertedAt:HH:mm}|{p.Revenue:0.00}|{string.Join(", ", p.Touches.Select(t => $"{t.At:HH:mm} {t.Channel} {t.Campaign}"))}"));
        // A lookback shorter than the 41 minutes since C's first visit leaves that visit out.
        var shorter = await engine.ConversionPathsAsync(site.Id, new Panorama.Core.Reports.DateRange(day, day.AddDays(1)), purchase, TimeSpan.FromMinutes(30), CancellationToken.None);
        Assert.Equal(["10:00", "12:40"], shorter.Select(p => string.Join(",", p.Touches.Select(t => $"{t.At:HH:mm}"))));
    }

    [Fact]
    public async Task Segments_ListedWithTheirIdsAndFilters_AFunnelWithinOne()
    {
        using var list = new HttpRequestMessage(HttpMethod.Get, "/api/v2/segments?site_id=contract.example");
        list.Headers.Authorization = new AuthenticationHeaderValue("Bearer", fixture.Key);
        using var listed = await fixture.Server.Http.SendAsync(list);
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        var segments = JsonNode.Parse(await listed.Content.ReadAsStringAsync())!["segments"]!.AsArray();
        var russia = segments.Single(s => (string)s!["name"]! == "Russia")!;
        Assert.Equal(fixture.RussiaSegment, (int)russia["id"]!);
        Assert.Equal("""[["is","visit:country",["RU"]]]""", russia["filters"]!.ToJsonString());

        // Blog readers who then buy: A, B and D read the blog, A buys; within the Russia segment B (US) is left out.
        var (status, body) = await Post("/api/v2/funnel", $$"""
            {"site_id": "contract.example", "date_range": ["2026-10-10", "2026-10-10"], "filters": [["is", "segment", [{{fixture.RussiaSegment}}]]],
             "steps": [{"page": "/blog/**"}, {"goal": "Purchase"}]}
            """);
        Assert.True(status == HttpStatusCode.OK, body.ToJsonString());
        Assert.Equal([2, 1], body["steps"]!.AsArray().Select(s => (int)s!["visitors"]!));
    }

    [Fact]
    public async Task Funnel_OfVisitsThatReachedAScrollGoal()
    {
        // B's visit reached the scroll goal: its one pageview on the blog is the funnel's first step, and nothing follows.
        var (status, body) = await Post("/api/v2/funnel", """
            {"site_id": "contract.example", "date_range": ["2026-10-10", "2026-10-10"], "filters": [["has_done", ["is", "event:goal", ["Scroll 75% on /blog/**"]]]],
             "steps": [{"page": "/blog/**"}, {"goal": "Purchase"}]}
            """);
        Assert.True(status == HttpStatusCode.OK, body.ToJsonString());
        Assert.Equal([1, 0], body["steps"]!.AsArray().Select(s => (int)s!["visitors"]!));
    }

    [Theory]
    [InlineData("[]", 3, 1)]
    [InlineData("""[["is", "visit:source", ["newsletter"]]]""", 1, 1)]
    [InlineData("""[["is", "visit:source", ["Telegram"]]]""", 1, 0)]
    [InlineData("""[["contains", "event:page", ["blog"]]]""", 3, 1)]
    [InlineData("""[["contains", "event:page", ["blog"]], ["is", "visit:device", ["Mobile"]]]""", 1, 1)]
    public async Task Funnel_WithAScrollGoalStep_ReachedByTheEngagementAfterThePageview(string filters, int read, int scrolled)
    {
        // A, B and D read the blog; B scrolled 80% of its post (D 40%, A never said): the engagement event came after the pageview.
        var (status, body) = await Post("/api/v2/funnel", $$"""
            {"site_id": "contract.example", "date_range": ["2026-10-10", "2026-10-10"], "filters": {{filters}},
             "steps": [{"page": "/blog/**"}, {"goal": "Scroll 75% on /blog/**"}]}
            """);
        Assert.True(status == HttpStatusCode.OK, body.ToJsonString());
        Assert.Equal([read, scrolled], body["steps"]!.AsArray().Select(s => (int)s!["visitors"]!));
    }

    [Fact]
    public async Task Goals_ListCreateDelete()
    {
        using var list = new HttpRequestMessage(HttpMethod.Get, "/api/v2/goals?site_id=contract.example");
        list.Headers.Authorization = new AuthenticationHeaderValue("Bearer", fixture.Key);
        using var listed = await fixture.Server.Http.SendAsync(list);
        var goals = JsonNode.Parse(await listed.Content.ReadAsStringAsync())!["goals"]!.AsArray();
        Assert.Contains(goals, g => (string)g!["display_name"]! == "Purchase" && (string)g["currency"]! == "EUR");

        var (created, goal) = await Post("/api/v2/goals?site_id=contract.example", """{"event_name": "Download"}""");
        Assert.Equal(HttpStatusCode.Created, created);
        var (invalid, problem) = await Post("/api/v2/goals?site_id=contract.example", """{"page_path": "no-slash"}""");
        Assert.Equal(HttpStatusCode.BadRequest, invalid);
        Assert.Contains("page_path", (string)problem["detail"]!);

        using var delete = new HttpRequestMessage(HttpMethod.Delete, $"/api/v2/goals/{goal["id"]}?site_id=contract.example");
        delete.Headers.Authorization = new AuthenticationHeaderValue("Bearer", fixture.Key);
        using var deleted = await fixture.Server.Http.SendAsync(delete);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
    }
}

public sealed class FunnelAndExportTests(QueryFixture fixture) : FunnelAndExportContract<QueryFixture>(fixture), IClassFixture<QueryFixture>;

[Collection(Support.ClickHouseCollection.Name)]
public sealed class ClickHouseFunnelAndExportTests(ClickHouseQueryFixture fixture) : FunnelAndExportContract<ClickHouseQueryFixture>(fixture), IClassFixture<ClickHouseQueryFixture>;

[Collection(Support.ClickHouseCollection.Name)]
public sealed class OneServerClickHouseFunnelAndExportTests(OneClickHouseServerQueryFixture fixture)
    : FunnelAndExportContract<OneClickHouseServerQueryFixture>(fixture), IClassFixture<OneClickHouseServerQueryFixture>;
