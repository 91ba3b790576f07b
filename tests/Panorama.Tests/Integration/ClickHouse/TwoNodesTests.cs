using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Panorama.Core.Goals;
using Panorama.Core.Ingestion;
using Panorama.Tests.Support;
using static Panorama.Tests.Support.EventBodies;

namespace Panorama.Tests.Integration.ClickHouse;

/// <summary>
/// Two Panorama nodes on two ClickHouse shards and one PostgreSQL take interleaved traffic (the same visitors' events alternate between
/// them, as a load balancer would send them); every report either node gives equals the embedded single node's.
/// </summary>
[Collection(ClickHouseCollection.Name)]
public sealed class TwoNodesTests(ClickHouseServers servers, PostgresServer postgres) : IClassFixture<PostgresServer>
{
    const string Domain = "nodes.example";
    static readonly DateTimeOffset Start = new(2026, 10, 20, 0, 0, 0, TimeSpan.Zero);
    static readonly string[] Agents = [UserAgents.ChromeWindows, UserAgents.SafariIphone, UserAgents.ChromeAndroid, UserAgents.FirefoxLinux];
    static readonly string?[] Referrers = [null, "https://www.google.com/", "https://yandex.ru/", "https://t.me/x", "https://vk.com/"];
    static readonly string[] Pages = ["/", "/pricing", "/blog/a", "/blog/b", "/product/1"];

    static List<JsonObject> Traffic()
    {
        var random = new Random(11);
        var events = new List<JsonObject>();
        for (var visitor = 1; visitor <= 80; visitor++)
        {
            var ip = $"{(visitor % 3 == 0 ? "77.88.55" : visitor % 3 == 1 ? "8.8.4" : "5.255.255")}.{visitor}";
            var agent = Agents[visitor % Agents.Length];
            for (var visit = random.Next(1, 4); visit > 0; visit--)
            {
                var at = Start.AddMinutes(random.Next(2 * 24 * 60)).AddSeconds(random.Next(60));
                var referrer = Referrers[random.Next(Referrers.Length)];
                for (var hit = random.Next(1, 6); hit > 0; hit--)
                {
                    var page = Pages[random.Next(Pages.Length)];
                    events.Add(random.Next(8) switch
                    {
                        0 => Event("Signup", Domain, $"https://{Domain}{page}", at, ip, agent, props: new JsonObject { ["plan"] = random.Next(2) == 0 ? "pro" : "basic" }),
                        1 => Event("Purchase", Domain, $"https://{Domain}/checkout", at, ip, agent, revenue: new JsonObject { ["amount"] = 10 + random.Next(90), ["currency"] = "EUR" }),
                        _ => Pageview(Domain, page + (random.Next(6) == 0 ? "?utm_source=news&utm_campaign=oct" : ""), at, ip, agent, referrer),
                    });
                    referrer = null;
                    at = at.AddSeconds(random.Next(5, 1_500));
                }
            }
        }
        return events.OrderBy(e => (string)e["timestamp"]!, StringComparer.Ordinal).ToList();
    }

    static readonly string[] Queries =
    [
        """{"metrics": ["visits", "visit_duration"], "dimensions": ["time:hour"]}""",
        """{"metrics": ["visitors", "visits", "pageviews", "events", "bounce_rate", "visit_duration", "views_per_visit"]}""",
        """{"metrics": ["visitors", "visits", "bounce_rate", "visit_duration"], "dimensions": ["visit:source"]}""",
        """{"metrics": ["visitors", "pageviews", "events"], "dimensions": ["event:page"]}""",
        """{"metrics": ["visitors", "visits", "pageviews"], "dimensions": ["time:hour"]}""",
        """{"metrics": ["visitors", "events", "conversion_rate", "total_revenue"], "dimensions": ["event:goal"]}""",
        """{"metrics": ["visitors", "pageviews"], "dimensions": ["event:page"], "filters": [["is", "visit:browser", ["Chrome"]]]}""",
        """{"metrics": ["visitors", "events"], "dimensions": ["event:props:plan"]}""",
        """{"metrics": ["visitors", "visits", "bounce_rate"], "dimensions": ["visit:entry_page", "visit:exit_page"]}""",
        """{"metrics": ["visitors", "visits"], "dimensions": ["visit:country"], "filters": [["has_done", ["is", "event:goal", ["Purchase"]]]]}""",
        """{"metrics": ["visitors"], "dimensions": ["visit:utm_campaign", "visit:device"], "order_by": [["visitors", "desc"]], "pagination": {"limit": 3, "offset": 1}, "include": {"total_rows": true}}""",
    ];

    [Fact]
    public async Task InterleavedThroughTwoNodes_EveryReportEqualsTheEmbeddedNode()
    {
        var database = ClickHouseServers.NewDatabase();
        var relational = postgres.ConnectionString(PostgresServer.NewDatabase());
        string[] ClickHouse(int node, string spool) =>
        [
            "--Panorama:Database:Provider=postgres", $"--Panorama:Database:ConnectionString={relational}",
            "--Panorama:Events:Provider=clickhouse", $"--Panorama:Events:ClickHouse:Shards:0={servers.HttpUrl(0)}", $"--Panorama:Events:ClickHouse:Shards:1={servers.HttpUrl(1)}",
            $"--Panorama:Events:ClickHouse:Database={database}", $"--Panorama:Events:ClickHouse:NodeId={node}", $"--Panorama:Ingestion:SpoolDirectory={spool}",
        ];
        using var spools = new TempDirectory();
        await using var embedded = await TestServer.StartAsync();
        await using var first = await TestServer.StartAsync(ClickHouse(1, Path.Combine(spools.Path, "1")));
        // The nodes share the relational data (sites, keys, goals, daily salts) in PostgreSQL.
        var keys = new[] { Setup(embedded), Setup(first) };
        await using var second = await TestServer.StartAsync(ClickHouse(2, Path.Combine(spools.Path, "2")));

        var traffic = Traffic();
        for (var i = 0; i < traffic.Count; i++)
        {
            using (var response = await embedded.PostEventAsync(traffic[i], keys[0])) Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            using (var response = await (i % 2 == 0 ? first : second).PostEventAsync(traffic[i], keys[1])) Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }
        foreach (var node in new[] { first, second }) await node.Services.GetRequiredService<EventBatchWriter>().WaitUntilStoredAsync(CancellationToken.None);

        foreach (var query in Queries)
        {
            var expected = await ResultsAsync(embedded, keys[0], query);
            Assert.True(expected.Length > 20, expected);
            Assert.Equal(expected, await ResultsAsync(first, keys[1], query));
            Assert.Equal(expected, await ResultsAsync(second, keys[1], query));
        }
        const string funnel = """{"site_id": "nodes.example", "date_range": ["2026-10-20", "2026-10-21"], "steps": [{"page": "/"}, {"goal": "Signup"}, {"goal": "Purchase"}]}""";
        Assert.Equal(await PostAsync(embedded, keys[0], "/api/v2/funnel", funnel), await PostAsync(second, keys[1], "/api/v2/funnel", funnel));
    }

    static string Setup(TestServer server)
    {
        var site = server.AddSite(Domain);
        var goals = server.Services.GetRequiredService<GoalService>();
        goals.Add(site.Id, null, "Signup", null);
        goals.Add(site.Id, null, "Purchase", "EUR");
        goals.Add(site.Id, "/blog/**", null, null);
        return server.CreateKey(site.Id);
    }

    static async Task<string> ResultsAsync(TestServer server, string key, string query)
    {
        var body = JsonNode.Parse(query)!.AsObject();
        body["site_id"] = Domain;
        body["date_range"] = new JsonArray("2026-10-20", "2026-10-21");
        var response = JsonNode.Parse(await PostAsync(server, key, "/api/v2/query", body.ToJsonString()))!;
        return response["results"]!.ToJsonString() + (response["meta"]?["total_rows"]?.ToJsonString() ?? "");
    }

    static async Task<string> PostAsync(TestServer server, string key, string path, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await server.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return text;
    }
}
