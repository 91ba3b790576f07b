using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Panorama.Tests.Support;
using static Panorama.Tests.Support.EventBodies;

namespace Panorama.Tests.Contract;

/// <summary>Days, hours and comparisons are counted in the site's time zone.</summary>
public sealed class TimeZoneTests
{
    [Fact]
    public async Task Query_MoscowSite_DayBoundaryAtLocalMidnight()
    {
        await using var server = await TestServer.StartAsync();
        var key = server.CreateKey(server.AddSite("moscow.example", "Europe/Moscow").Id);
        // 23:59 and 00:00 Moscow time (UTC+3): the last minute of 9 October and the first of 10 October.
        foreach (var (at, ip) in new[] { (new DateTimeOffset(2026, 10, 9, 20, 59, 0, TimeSpan.Zero), "198.51.100.1"), (new DateTimeOffset(2026, 10, 9, 21, 0, 0, TimeSpan.Zero), "198.51.100.2") })
        {
            using var response = await server.PostEventAsync(Pageview("moscow.example", "/", at, ip), key);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        async Task<JsonObject> Query(string json)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v2/query") { Content = new StringContent(json) };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            using var response = await server.Http.SendAsync(request);
            return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        }

        var day = await Query("""{"site_id": "moscow.example", "metrics": ["visitors"], "date_range": ["2026-10-10", "2026-10-10"], "dimensions": ["time:hour"]}""");
        Assert.Equal("""[{"metrics":[1],"dimensions":["2026-10-10 00:00:00"]}]""", day["results"]!.ToJsonString());
        Assert.Equal("2026-10-10T00:00:00+03:00", (string)day["query"]!["date_range"]![0]!);
        var days = await Query("""{"site_id": "moscow.example", "metrics": ["visitors"], "date_range": ["2026-10-09", "2026-10-10"], "dimensions": ["time:day"]}""");
        Assert.Equal("""[{"metrics":[1],"dimensions":["2026-10-09"]},{"metrics":[1],"dimensions":["2026-10-10"]}]""", days["results"]!.ToJsonString());
    }
}
