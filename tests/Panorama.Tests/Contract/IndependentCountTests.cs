using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Panorama.Tests.Support;
using static Panorama.Tests.Support.EventBodies;

namespace Panorama.Tests.Contract;

/// <summary>
/// Seeded random traffic — gaps either side of 30 minutes, visits across midnight, custom events with and without
/// <c>i: false</c>, engagement events, two goals — posted in shuffled order through <c>/api/event</c> with the backfill overrides,
/// and every report compared with a count made here from the README's definitions alone ("What the numbers mean").
/// </summary>
public abstract class IndependentCount
{
    const string Domain = "count.example";
    static readonly DateTime Start = new(2026, 11, 10, 0, 0, 0, DateTimeKind.Utc);
    static readonly string[] Agents = [UserAgents.ChromeWindows, UserAgents.FirefoxLinux, UserAgents.SafariIphone, UserAgents.ChromeAndroid];
    static readonly string[] Paths = ["/", "/pricing", "/blog/a", "/blog/b", "/docs", "/signup"];
    // A visit's first event's referrer or tags, and the source the README says it gets.
    static readonly (string? Referrer, string Query, string Source)[] Arrivals =
    [
        (null, "", "Direct / None"), ("https://www.google.com/", "", "Google"), ("https://yandex.ru/", "", "Yandex"),
        ("https://t.me/channel", "", "Telegram"), (null, "?utm_source=newsletter&utm_medium=email", "newsletter"),
    ];

    sealed record Hit(int Person, DateTime At, string Name, string Path, bool Interactive, int Arrival);

    protected virtual Task<string[]> SettingsAsync() => Task.FromResult(Array.Empty<string>());

    /// <summary>Runs once the traffic is posted: waits until every acknowledged event is stored.</summary>
    protected virtual Task AfterTrafficAsync(TestServer server) =>
        server.Services.GetRequiredService<Panorama.Core.Ingestion.EventBatchWriter>().WaitUntilStoredAsync(CancellationToken.None);

    static List<Hit> Traffic(int seed)
    {
        var random = new Random(seed);
        var hits = new List<Hit>();
        int[] gaps = [5, 60, 600, 1_799, 1_800, 1_801, 2_400];
        for (var person = 0; person < 60; person++)
        {
            var at = Start.AddSeconds(random.Next(6 * 86_400));
            for (var visit = random.Next(1, 5); visit > 0; visit--)
            {
                // Some visits start in the last half hour of a day, so they go on across midnight.
                if (random.NextDouble() < 0.25) at = at.Date.AddHours(23).AddMinutes(30 + random.Next(30)).AddSeconds(random.Next(60));
                var arrival = random.Next(Arrivals.Length);
                for (var hit = random.Next(1, 9); hit > 0; hit--)
                {
                    var kind = random.NextDouble();
                    var first = hits.Count == 0 || hits[^1].Person != person || hits[^1].Arrival != arrival;
                    hits.Add(first || kind < 0.65 ? new Hit(person, at, "pageview", Paths[random.Next(Paths.Length)], true, arrival)
                        : kind < 0.75 ? new Hit(person, at, "Signup", Paths[random.Next(Paths.Length)], true, arrival)
                        : kind < 0.85 ? new Hit(person, at, "Scrolled", Paths[random.Next(Paths.Length)], false, arrival)
                        : new Hit(person, at, "engagement", hits[^1].Path, false, arrival));
                    at = at.AddSeconds(random.NextDouble() < 0.3 ? gaps[random.Next(gaps.Length)] : random.Next(1, 900));
                }
                at = at.AddSeconds(random.Next(1_800, 2 * 86_400));
            }
        }
        // Visits that straddle the start of the shorter periods, UTC's and Asia/Kolkata's, with a Signup before it: a
        // "has done" filter must see the part before the period.
        foreach (var (person, start) in new[] { (60, Start.AddDays(2)), (60, Start.AddDays(3)), (61, Start.AddDays(2).AddHours(-5.5)), (61, Start.AddDays(3).AddHours(-5.5)) })
        {
            hits.Add(new Hit(person, start.AddMinutes(-10), "pageview", "/", true, 1));
            hits.Add(new Hit(person, start.AddMinutes(-5), "Signup", "/signup", true, 1));
            hits.Add(new Hit(person, start.AddMinutes(5), "pageview", "/pricing", true, 1));
        }
        return hits;
    }

    static JsonObject Body(Hit hit, bool firstOfVisit)
    {
        var ip = $"5.{hit.Person / 200 + 1}.{hit.Person % 200 + 1}.9";
        var agent = Agents[hit.Person % Agents.Length];
        var (referrer, query, _) = Arrivals[hit.Arrival];
        var url = $"https://{Domain}{hit.Path}{(firstOfVisit ? query : "")}";
        var signup = hit.Name == "Signup";
        var body = Event(hit.Name, Domain, url, new DateTimeOffset(hit.At), ip, agent, firstOfVisit ? referrer : null,
            props: signup ? new JsonObject { ["plan"] = Plan(hit) } : null,
            revenue: signup ? new JsonObject { ["amount"] = Cents(hit) / 100m, ["currency"] = "EUR" } : null,
            interactive: hit.Interactive ? null : false);
        if (hit.Name == "engagement") { body["sd"] = 50; body["e"] = 10_000; }
        return body;
    }

    /// <summary>A Signup's plan (a custom property) and its revenue in euro cents, fixed by the hit.</summary>
    static string Plan(Hit hit) => hit.Person % 3 == 0 ? "pro" : "free";

    static long Cents(Hit hit) => 100 + (hit.Person * 37 + hit.At.Minute * 11 + hit.At.Second) % 9_900;

    /// <summary>The README's visits: a person's pageviews and custom events, cut at gaps of 30 minutes or more and every 24 hours.</summary>
    static List<List<Hit>> Visits(IEnumerable<Hit> hits)
    {
        var visits = new List<List<Hit>>();
        foreach (var person in hits.Where(h => h.Name != "engagement").GroupBy(h => h.Person))
        {
            List<Hit>? current = null;
            foreach (var hit in person.OrderBy(h => h.At))
            {
                if (current is null || hit.At - current[^1].At >= TimeSpan.FromMinutes(30) || hit.At - current[0].At >= TimeSpan.FromHours(24))
                    visits.Add(current = []);
                current.Add(hit);
            }
        }
        return visits;
    }

    [Theory]
    [InlineData(5, 17, "UTC")]
    [InlineData(6, 23, "Asia/Kolkata")]
    public async Task Reports_EqualTheCountMadeFromTheDefinitions(int trafficSeed, int orderSeed, string timeZone)
    {
        await using var server = await TestServer.StartAsync(await SettingsAsync());
        var key = server.CreateKey(server.AddSite(Domain, timeZone).Id);
        await Post(server, key, $"/api/v2/goals?site_id={Domain}", """{"page_path": "/blog/*"}""");
        await Post(server, key, $"/api/v2/goals?site_id={Domain}", """{"event_name": "Signup"}""");
        // Periods and days are the site's; visitors' days are UTC's, whatever the site's zone.
        var zone = TimeZoneInfo.FindSystemTimeZoneById(timeZone);
        DateTime Local(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(utc, zone);
        var hits = Traffic(trafficSeed);
        // The first hit of each (person, arrival) run carries the referrer or tags; it is the first event of its visit
        // unless a gap cut the run, and then the later visit arrives direct — the model sees the same bodies.
        var bodies = hits.Select((hit, i) => (Hit: hit, Body: Body(hit, i == 0 || hits[i - 1].Person != hit.Person || hits[i - 1].Arrival != hit.Arrival))).ToList();
        var carriesArrival = bodies.Where(b => b.Body["r"] is not null || ((string)b.Body["u"]!).Contains('?')).Select(b => b.Hit).ToHashSet();
        var order = new Random(orderSeed);
        foreach (var (_, body) in bodies.OrderBy(_ => order.Next()))
        {
            using var response = await server.PostEventAsync(body, key);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }
        await AfterTrafficAsync(server);

        var visits = Visits(hits);
        // A visit's visitor is the person on the UTC day its first event fell: a visit going on across midnight keeps it.
        var visitorOf = visits.SelectMany(v => v.Select(h => (h, (v[0].Person, v[0].At.Date)))).ToDictionary(p => p.h, p => p.Item2);
        var counted = visits.SelectMany(v => v).ToList();
        var multiDay = 0;

        foreach (var (from, to) in new[] { (Start, Start.AddDays(9)), (Start.AddDays(2), Start.AddDays(4)), (Start.AddDays(3), Start.AddDays(3)) })
        {
            bool In(DateTime at) => Local(at) >= from && Local(at) < to.AddDays(1);
            var events = counted.Where(h => In(h.At)).ToList();
            var started = visits.Where(v => In(v[0].At)).ToList();
            multiDay += started.Count(v => v[0].At.Date != v[^1].At.Date);
            var range = string.Create(CultureInfo.InvariantCulture, $"[\"{from:yyyy-MM-dd}\", \"{to:yyyy-MM-dd}\"]");

            var bounces = started.Count(v => v.Count(h => h.Name == "pageview") <= 1 && !v.Any(h => h.Name != "pageview" && h.Interactive));
            double[] expected =
            [
                events.Select(h => visitorOf[h]).Distinct().Count(), started.Count, events.Count(h => h.Name == "pageview"), events.Count,
                Math.Floor(100.0 * bounces / started.Count + 0.5),
                Math.Floor(started.Sum(v => (v[^1].At - v[0].At).TotalSeconds) / started.Count + 0.5),
                Math.Round((double)started.Sum(v => v.Count(h => h.Name == "pageview")) / started.Count, 2, MidpointRounding.AwayFromZero),
            ];
            var totals = await Query(server, key, $$"""{"site_id": "{{Domain}}", "metrics": ["visitors", "visits", "pageviews", "events", "bounce_rate", "visit_duration", "views_per_visit"], "date_range": {{range}}}""");
            Assert.Equal(string.Join(" ", expected.Select(x => x.ToString(CultureInfo.InvariantCulture))), string.Join(" ", totals.Single().Metrics));

            var pages = events.GroupBy(h => h.Path).Select(g => $"{g.Key} {g.Count(h => h.Name == "pageview")} {g.Select(h => visitorOf[h]).Distinct().Count()}");
            Assert.Equal(Sorted(pages), Sorted(await Rows(server, key, range, "event:page", ["pageviews", "visitors"])));

            var entries = started.GroupBy(v => v.FirstOrDefault(h => h.Name == "pageview")?.Path ?? "(none)").Select(g => $"{g.Key} {g.Count()}");
            Assert.Equal(Sorted(entries), Sorted(await Rows(server, key, range, "visit:entry_page", ["visits"])));

            // A source's visits are those starting in the period; its visitors, those with an event in the period in
            // a visit from it (a visit begun the day before counts its visitor too, as the Visitors metric does).
            string SourceOf(List<Hit> v) => carriesArrival.Contains(v[0]) ? Arrivals[v[0].Arrival].Source : "Direct / None";
            var sources = visits.Where(v => v.Any(h => In(h.At))).GroupBy(SourceOf)
                .Select(g => $"{g.Key} {g.Count(v => In(v[0].At))} {g.Select(v => visitorOf[v[0]]).Distinct().Count()}");
            Assert.Equal(Sorted(sources), Sorted(await Rows(server, key, range, "visit:source", ["visits", "visitors"])));

            // A goal's visitors and events in the period; its conversion rate, those visitors of all the period's visitors.
            (string Goal, Func<Hit, bool> Match)[] goals = [("Visit /blog/*", h => h.Name == "pageview" && h.Path.StartsWith("/blog/", StringComparison.Ordinal)), ("Signup", h => h.Name == "Signup")];
            var everyone = events.Select(h => visitorOf[h]).Distinct().Count();
            var conversions = goals.Where(g => events.Any(g.Match)).Select(g =>
            {
                var converted = events.Where(g.Match).Select(h => visitorOf[h]).Distinct().Count();
                var rate = Math.Round(100.0 * converted / everyone, 2, MidpointRounding.AwayFromZero);
                return string.Create(CultureInfo.InvariantCulture, $"{g.Goal} {converted} {events.Count(g.Match)} {rate}");
            });
            Assert.Equal(Sorted(conversions), Sorted(await Rows(server, key, range, "event:goal", ["visitors", "events", "conversion_rate"])));

            // A visitor reaches step k when a visit of theirs starting in the period has steps 1…k in that order.
            Func<Hit, bool>[] steps = [h => h.Name == "pageview" && h.Path == "/pricing", h => h.Name == "Signup", h => h.Name == "pageview" && h.Path == "/signup"];
            int Reached(List<Hit> v) => v.Aggregate(0, (reached, h) => reached < steps.Length && steps[reached](h) ? reached + 1 : reached);
            var funnel = Enumerable.Range(1, steps.Length).Select(k => started.Where(v => Reached(v) >= k).Select(v => visitorOf[v[0]]).Distinct().Count().ToString(CultureInfo.InvariantCulture));
            var funnelBody = await Post(server, key, "/api/v2/funnel", $$"""
                {"site_id": "{{Domain}}", "date_range": {{range}}, "steps": [{"page": "/pricing"}, {"event": "Signup"}, {"page": "/signup"}]}
                """);
            Assert.Equal(string.Join(" ", funnel), string.Join(" ", funnelBody["steps"]!.AsArray().Select(step => (string)step!["visitors"]!.ToString())));

            // Filters. On a visit dimension: the period's events of the visits that match.
            var visitOf = visits.SelectMany(v => v.Select(h => (h, v))).ToDictionary(p => p.h, p => p.v);
            var fromGoogle = events.Where(h => SourceOf(visitOf[h]) == "Google").GroupBy(h => h.Path)
                .Select(g => $"{g.Key} {g.Count(h => h.Name == "pageview")} {g.Select(h => visitorOf[h]).Distinct().Count()}");
            Assert.Equal(Sorted(fromGoogle), Sorted(await Rows(server, key, range, "event:page", ["pageviews", "visitors"], """[["is", "visit:source", ["Google"]]]""")));
            // On an event dimension: the matching events of the period, and the visits starting in it that hold one.
            bool OnPricing(Hit h) => h.Path == "/pricing";
            string Filtered(IEnumerable<Hit> matching, List<List<Hit>> holding)
            {
                var bounced = holding.Count(v => v.Count(h => h.Name == "pageview") <= 1 && !v.Any(h => h.Name != "pageview" && h.Interactive));
                var rate = holding.Count == 0 ? 0 : Math.Floor(100.0 * bounced / holding.Count + 0.5);
                return string.Create(CultureInfo.InvariantCulture,
                    $"{matching.Select(h => visitorOf[h]).Distinct().Count()} {holding.Count} {matching.Count(h => h.Name == "pageview")} {rate}");
            }
            var pricing = await Query(server, key, $$"""{"site_id": "{{Domain}}", "metrics": ["visitors", "visits", "pageviews", "bounce_rate"], "date_range": {{range}}, "filters": [["is", "event:page", ["/pricing"]]]}""");
            Assert.Equal(Filtered(events.Where(OnPricing), started.Where(v => v.Any(OnPricing)).ToList()), string.Join(" ", pricing.Single().Metrics));
            var pricingSources = visits.Where(v => v.Any(h => In(h.At) && OnPricing(h)) || (In(v[0].At) && v.Any(OnPricing))).GroupBy(SourceOf)
                .Select(g => $"{g.Key} {g.Count(v => In(v[0].At))} {g.SelectMany(v => v.Where(h => In(h.At) && OnPricing(h))).Select(h => visitorOf[h]).Distinct().Count()}");
            Assert.Equal(Sorted(pricingSources), Sorted(await Rows(server, key, range, "visit:source", ["visits", "visitors"], """[["is", "event:page", ["/pricing"]]]""")));
            // has_done: every event of the visits holding a Signup, wherever in the visit it lies.
            var signedUp = visits.Where(v => v.Any(h => h.Name == "Signup")).ToHashSet();
            var hasDone = await Query(server, key, $$"""{"site_id": "{{Domain}}", "metrics": ["visitors", "visits", "pageviews", "bounce_rate"], "date_range": {{range}}, "filters": [["has_done", ["is", "event:name", ["Signup"]]]]}""");
            Assert.Equal(Filtered(events.Where(h => signedUp.Contains(visitOf[h])), started.Where(signedUp.Contains).ToList()), string.Join(" ", hasDone.Single().Metrics));

            // Revenue by source: the Signups of the period, by their visit's source; a property breakdown under a visit filter.
            var revenue = events.Where(h => h.Name == "Signup").GroupBy(h => SourceOf(visitOf[h]))
                .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key} {g.Sum(Cents) / 100m:0.##}"));
            var revenueRows = (await Query(server, key, $$"""{"site_id": "{{Domain}}", "metrics": ["events", "total_revenue"], "date_range": {{range}}, "dimensions": ["visit:source"], "filters": [["is", "event:goal", ["Signup"]]]}"""))
                .Select(r => $"{r.Dimensions[0]} {r.Metrics[1]}");
            Assert.Equal(Sorted(revenue), Sorted(revenueRows));
            // Events without the property count under "(none)".
            var plans = events.Where(h => SourceOf(visitOf[h]) != "Direct / None").GroupBy(h => h.Name == "Signup" ? Plan(h) : "(none)")
                .Select(g => $"{g.Key} {g.Select(h => visitorOf[h]).Distinct().Count()} {g.Count()}");
            Assert.Equal(Sorted(plans), Sorted(await Rows(server, key, range, "event:props:plan", ["visitors", "events"], """[["is_not", "visit:source", ["Direct / None"]]]""")));

            var days = started.GroupBy(v => Local(v[0].At).Date).Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key:yyyy-MM-dd} {g.Count()}"));
            Assert.Equal(Sorted(days), Sorted((await Rows(server, key, range, "time:day", ["visits"])).Where(r => !r.EndsWith(" 0", StringComparison.Ordinal))));
        }
        // Not a trivial agreement: visits over midnight are in the traffic.
        Assert.True(multiDay >= 3, $"{multiDay} visits across midnight");
    }

    static List<string> Sorted(IEnumerable<string> lines) => lines.Order(StringComparer.Ordinal).ToList();

    static async Task<JsonObject> Post(TestServer server, string key, string path, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await server.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>The rows' dimensions and metrics; money (<c>{"value", "currency"}</c>) as its value.</summary>
    static async Task<List<(List<string> Dimensions, List<string> Metrics)>> Query(TestServer server, string key, string json)
    {
        static string Number(JsonNode? metric) => (metric is JsonObject money ? (double)money["value"]! : (double)metric!).ToString(CultureInfo.InvariantCulture);
        return (await Post(server, key, "/api/v2/query", json))["results"]!.AsArray().Select(row => (
            row!["dimensions"]!.AsArray().Select(d => (string)d!).ToList(),
            row["metrics"]!.AsArray().Select(Number).ToList())).ToList();
    }

    static async Task<List<string>> Rows(TestServer server, string key, string range, string dimension, string[] metrics, string? filters = null)
    {
        var json = $$$"""{"site_id": "{{{Domain}}}", "metrics": [{{{string.Join(", ", metrics.Select(m => $"\"{m}\""))}}}], "date_range": {{{range}}}, "dimensions": ["{{{dimension}}}"]{{{(filters is null ? "" : $", \"filters\": {filters}")}}}, "pagination": {"limit": 1000}}""";
        return (await Query(server, key, json)).Select(r => string.Join(" ", r.Dimensions.Concat(r.Metrics))).ToList();
    }
}

/// <summary>On the embedded store.</summary>
public sealed class IndependentCountTests : IndependentCount;

/// <summary>
/// On ClickHouse, two shards behind the Distributed table; the first four days' visits built, the rest cut when a report
/// asks.
/// </summary>
[Collection(ClickHouseCollection.Name)]
public sealed class ClickHouseIndependentCountTests(ClickHouseServers servers) : IndependentCount
{
    protected override Task<string[]> SettingsAsync() => Task.FromResult<string[]>(
    [
        "--Panorama:Events:Provider=clickhouse", $"--Panorama:Events:ClickHouse:Shards:0={servers.HttpUrl(0)}",
        $"--Panorama:Events:ClickHouse:Shards:1={servers.HttpUrl(1)}", $"--Panorama:Events:ClickHouse:Database={ClickHouseServers.NewDatabase()}",
        "--Panorama:Events:ClickHouse:VisitBuildSeconds=0",
    ]);

    protected override async Task AfterTrafficAsync(TestServer server)
    {
        await base.AfterTrafficAsync(server);
        var store = server.Services.GetRequiredService<Panorama.Storage.ClickHouse.ClickHouseEventStore>();
        Assert.True(await store.Visits.BuildAsync(new DateTime(2026, 11, 14, 0, 0, 0, DateTimeKind.Utc), null, CancellationToken.None) > 10);
    }
}
