using System.Net;
using System.Text.Json.Nodes;
using Panorama.Tests.Support;
using static Panorama.Tests.Support.EventBodies;

namespace Panorama.Tests.Integration;

/// <summary>
/// A visit going on across midnight UTC keeps yesterday's visitor, whatever order its events arrive in: a backfill
/// sent newest first counts the same as one sent in time order.
/// </summary>
public sealed class MidnightContinuityTests
{
    const string Domain = "night.example";
    static readonly DateTimeOffset Midnight = new(2026, 11, 21, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Summary_VisitOverMidnightPastTheFirstHalfHour_OneVisitorOneVisit(bool newestFirst)
    {
        await using var server = await TestServer.StartAsync();
        var key = server.CreateKey(server.AddSite(Domain).Id);
        const string ip = "2a02:6b8::2:242";
        JsonObject[] visit =
        [
            Pageview(Domain, "/", Midnight.AddMinutes(-10), ip, UserAgents.ChromeAndroid, "https://yandex.ru/"),
            Pageview(Domain, "/catalog", Midnight.AddMinutes(15), ip, UserAgents.ChromeAndroid),
            Event("engagement", Domain, $"https://{Domain}/catalog", Midnight.AddMinutes(20), ip, UserAgents.ChromeAndroid),
            Pageview(Domain, "/product/1", Midnight.AddMinutes(40), ip, UserAgents.ChromeAndroid),
            Pageview(Domain, "/cart", Midnight.AddMinutes(65), ip, UserAgents.ChromeAndroid),
            // 40 minutes later: a visit of its own, under the new day's visitor.
            Pageview(Domain, "/", Midnight.AddMinutes(105), ip, UserAgents.ChromeAndroid),
        ];
        foreach (var body in newestFirst ? visit.Reverse() : visit)
        {
            using var response = await server.PostEventAsync(body, key);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        async Task<(int Visitors, int Visits, int Pageviews, int Duration)> Summary(string period)
        {
            var results = (await server.GetJsonAsync($"/api/v1/stats/summary?site_id={Domain}&{period}", key))["results"]!;
            return ((int)results["visitors"]!, (int)results["visits"]!, (int)results["pageviews"]!, (int)results["visit_duration"]!);
        }
        // The night's visit: 23:50 to 01:05, 4,500 s; the morning's visit: one pageview.
        Assert.Equal((2, 2, 5, 2250), await Summary("period=custom&date=2026-11-20,2026-11-21"));
        Assert.Equal((2, 1, 4, 0), await Summary("period=day&date=2026-11-21"));
        Assert.Equal((1, 1, 1, 4500), await Summary("period=day&date=2026-11-20"));
    }

    /// <summary>
    /// The page seen last before the tab was hidden, in a visit that went on across midnight: its engagement event comes
    /// after the visit's last event and counts in that visit, under yesterday's visitor.
    /// </summary>
    [Fact]
    public async Task Engagement_AfterTheLastEventOfAVisitOverMidnight_CountsInThatVisit()
    {
        await using var server = await TestServer.StartAsync();
        var key = server.CreateKey(server.AddSite(Domain).Id);
        const string ip = "2a02:6b8::2:242";
        var engagement = Event("engagement", Domain, $"https://{Domain}/catalog", Midnight.AddMinutes(25), ip, UserAgents.ChromeAndroid);
        engagement["sd"] = 70;
        engagement["e"] = 12_000;
        JsonObject[] visit =
        [
            Pageview(Domain, "/", Midnight.AddMinutes(-10), ip, UserAgents.ChromeAndroid, "https://yandex.ru/"),
            Pageview(Domain, "/catalog", Midnight.AddMinutes(10), ip, UserAgents.ChromeAndroid),
            engagement,
        ];
        foreach (var body in visit) Assert.Equal(HttpStatusCode.Accepted, (await server.PostEventAsync(body, key)).StatusCode);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v2/query") { Content = new StringContent($$"""
            {"site_id": "{{Domain}}", "metrics": ["visitors", "scroll_depth", "time_on_page"], "date_range": ["2026-11-21", "2026-11-21"],
             "dimensions": ["event:page"], "filters": [["is", "visit:source", ["Yandex"]]]}
            """, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        using var response = await server.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        // The pages of the visit on the 21st (its first pageview was the 20th's): /catalog, with its engagement.
        Assert.Equal("""[{"metrics":[1,70,12],"dimensions":["/catalog"]}]""", JsonNode.Parse(text)!["results"]!.ToJsonString());
    }

    /// <summary>Events spooled but not yet stored when the server died are replayed at start: one over midnight still continues its visit.</summary>
    [Fact]
    public async Task Replay_SpooledVisitOverMidnight_OneVisitorOneVisit()
    {
        using var spoolFolder = new TempDirectory();
        Panorama.Core.Ingestion.EnrichedEvent At(long sequence, DateTimeOffset at, long visitor, long yesterday) => new()
        {
            Sequence = sequence, SiteId = 1, Timestamp = at.UtcDateTime, VisitorId = visitor, PreviousDayVisitorId = yesterday,
            Name = "pageview", Pathname = "/", Hostname = Domain,
        };
        using (var spool = new Panorama.Core.Ingestion.EventSpool(spoolFolder.Path))
            spool.Append([At(1, Midnight.AddMinutes(-10), 100, 100), At(2, Midnight.AddMinutes(10), 200, 100), At(3, Midnight.AddMinutes(35), 200, 200)]);

        await using var server = await TestServer.StartAsync($"--Panorama:Ingestion:SpoolDirectory={spoolFolder.Path}");
        var site = server.AddSite(Domain);
        Assert.Equal(1, site.Id);
        var key = server.CreateKey(site.Id);
        var results = (await server.GetJsonAsync($"/api/v1/stats/summary?site_id={Domain}&period=custom&date=2026-11-20,2026-11-21", key))["results"]!;
        Assert.Equal((1, 1, 3), ((int)results["visitors"]!, (int)results["visits"]!, (int)results["pageviews"]!));
    }
}
