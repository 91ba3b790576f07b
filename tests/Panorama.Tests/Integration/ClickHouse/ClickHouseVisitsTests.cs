using Panorama.Core.Ingestion;
using Panorama.Core.Reports;
using Panorama.Core.Reports.Query;
using Panorama.Storage.ClickHouse;
using Panorama.Storage.DuckDb;
using Panorama.Tests.Support;

namespace Panorama.Tests.Integration.ClickHouse;

/// <summary>
/// Two nodes take interleaved events of the same visitors into two shards; the visits ClickHouse cuts at query time,
/// builds, or builds in part, give the same numbers as the embedded store fed the same events through one node — also
/// after a backfill into hours already built.
/// </summary>
[Collection(ClickHouseCollection.Name)]
public sealed class ClickHouseVisitsTests(ClickHouseServers servers)
{
    static readonly DateTime Start = new(2026, 11, 2, 0, 0, 0, DateTimeKind.Utc);
    static readonly string[] Sources = ["Direct / None", "Google", "Yandex", "Telegram"];
    const long ContinuedVisitor = 8_888;

    /// <summary>Visitors with visits of 1–6 events and gaps either side of 30 minutes, and one visitor active for 30 hours straight.</summary>
    static List<EnrichedEvent> Traffic()
    {
        var random = new Random(7);
        var events = new List<EnrichedEvent>();
        void Add(long visitor, DateTime at, string name) => events.Add(new EnrichedEvent
        {
            SiteId = 3, Timestamp = at, VisitorId = visitor, PreviousDayVisitorId = visitor, Name = name, Pathname = "/p" + random.Next(5), Hostname = "x",
            Source = Sources[random.Next(Sources.Length)], Channel = "Direct", Country = random.Next(3) switch { 0 => "RU", 1 => "DE", _ => "" }, Browser = "Firefox", OperatingSystem = "Linux", Device = "Desktop", Interactive = name != "pageview",
        });
        for (var visitor = 1; visitor <= 300; visitor++)
            for (var visit = random.Next(1, 4); visit > 0; visit--)
            {
                var at = Start.AddSeconds(random.Next(3 * 86_400)).AddTicks(random.Next(10_000_000));
                for (var hit = random.Next(1, 7); hit > 0 && at < Start.AddDays(3); hit--)
                {
                    Add(visitor, at, random.NextDouble() < 0.15 ? "Signup" : random.NextDouble() < 0.1 ? "engagement" : "pageview");
                    at = at.AddSeconds(random.Next(10, 3_000)).AddTicks(random.Next(10_000_000));
                }
            }
        for (var at = Start.AddHours(5); at < Start.AddHours(35); at = at.AddMinutes(20)) Add(9_999, at, "pageview");
        // A visit across midnight: after it the visitor hashes to a new id, and yesterday's id says whose visit it continues.
        void Night(long visitor, long yesterday, int minutes, string name, string path, int? depth = null) => events.Add(new EnrichedEvent
        {
            SiteId = 3, Timestamp = Start.AddDays(1).AddMinutes(minutes), VisitorId = visitor, PreviousDayVisitorId = yesterday, Name = name, Pathname = path,
            Hostname = "x", Source = "Google", Channel = "Organic Search", Country = "RU", Browser = "Firefox", OperatingSystem = "Linux", Device = "Desktop",
            Interactive = name != "pageview", ScrollDepth = depth, EngagementMilliseconds = depth is null ? null : 20_000,
        });
        Night(ContinuedVisitor, ContinuedVisitor, -20, "pageview", "/p1");
        Night(ContinuedVisitor, ContinuedVisitor, -5, "pageview", "/p2");
        Night(ContinuedVisitor + 1, ContinuedVisitor, 10, "Signup", "/p2");
        Night(ContinuedVisitor + 1, ContinuedVisitor, 25, "pageview", "/p3");
        // After 00:30 an event carries today's id alone; the visit still goes on under yesterday's until a 30-minute gap.
        Night(ContinuedVisitor + 1, ContinuedVisitor + 1, 50, "pageview", "/p4");
        Night(ContinuedVisitor + 1, ContinuedVisitor + 1, 75, "pageview", "/p1");
        Night(ContinuedVisitor + 1, ContinuedVisitor + 1, 110, "pageview", "/p2");
        // Another's funnel completes after 00:30: /p1 before midnight, /p2 in the first half hour, Signup after it.
        Night(ContinuedVisitor + 2, ContinuedVisitor + 2, -2, "pageview", "/p1");
        Night(ContinuedVisitor + 3, ContinuedVisitor + 2, 20, "pageview", "/p2");
        Night(ContinuedVisitor + 3, ContinuedVisitor + 3, 45, "Signup", "/p2");
        // An engagement event does not keep a visit going: 35 minutes after the last pageview, a new visit under today's id.
        Night(ContinuedVisitor + 4, ContinuedVisitor + 4, -10, "pageview", "/p1");
        Night(ContinuedVisitor + 5, ContinuedVisitor + 4, 5, "pageview", "/p2");
        Night(ContinuedVisitor + 5, ContinuedVisitor + 5, 30, "engagement", "/p2");
        Night(ContinuedVisitor + 5, ContinuedVisitor + 5, 40, "pageview", "/p3");
        // The tab hidden at 00:20, after the last page of a visit that went on across midnight: its engagement event goes with
        // that visit (yesterday's visitor, from Google), not with today's id, which has no visit before it.
        Night(ContinuedVisitor + 6, ContinuedVisitor + 6, -15, "pageview", "/p1");
        Night(ContinuedVisitor + 7, ContinuedVisitor + 6, 5, "pageview", "/night");
        Night(ContinuedVisitor + 7, ContinuedVisitor + 7, 20, "engagement", "/night", depth: 55);
        return events.OrderBy(e => e.Timestamp).ToList();
    }

    [Fact]
    public async Task TwoNodesInterleaved_ReportsEqualTheEmbeddedStore()
    {
        var traffic = Traffic();
        var database = ClickHouseServers.NewDatabase();
        var nodes = new[] { new ClickHouseEventStore(servers.Options(database, 2, node: 1), new HttpClient()), new ClickHouseEventStore(servers.Options(database, 2, node: 2), new HttpClient()) };
        await nodes[0].MigrateAsync(CancellationToken.None);
        // Every other event goes to the other node; each numbers its own events.
        for (var node = 0; node < 2; node++)
        {
            var mine = traffic.Where((_, i) => i % 2 == node).Select((e, i) => Copy(e, i + 1)).ToList();
            foreach (var chunk in mine.Chunk(97)) await nodes[node].AppendAsync(chunk, CancellationToken.None);
        }

        using var folder = new TempDirectory();
        using var duck = new DuckDbEventStore(new DuckDbOptions { Path = Path.Combine(folder.Path, "events.duckdb"), MemoryLimit = "512MB", Threads = 2 });
        await duck.AppendAsync(traffic.Select((e, i) => Copy(e, i + 1)).ToList(), CancellationToken.None);
        await duck.RefreshVisitsAsync(CancellationToken.None);

        var kolkata = TimeZoneInfo.FindSystemTimeZoneById("Asia/Kolkata");
        var whole = new DateRange(Start, Start.AddDays(3));
        StoreQuery Query(DateRange range, string[] dimensions, TimeZoneInfo? zone = null, Metric[]? metrics = null) => new()
        {
            SiteId = 3, TimeZone = zone ?? TimeZoneInfo.Utc, Range = range, Metrics = metrics ?? StoreQuery.StoreMetrics,
            Dimensions = dimensions.Select(d => Dimension.Find(d)!).ToList(),
        };
        var visitMetrics = new[] { Metric.Visitors, Metric.Visits, Metric.ViewsPerVisit, Metric.BounceRate, Metric.VisitDuration };
        var queries = new[]
        {
            Query(whole, []), Query(new DateRange(Start.AddDays(1), Start.AddDays(2)), []), Query(new DateRange(Start.AddHours(6), Start.AddHours(7)), []),
            Query(whole, ["time:hour"], kolkata), Query(whole, ["time:day"], kolkata),
            Query(new DateRange(Start.AddHours(12), Start.AddHours(60)), ["visit:source"], metrics: visitMetrics),
            Query(new DateRange(Start.AddHours(12), Start.AddHours(60)), ["visit:country"], metrics: visitMetrics),
            Query(whole, ["event:page", "visit:country"]),
        };
        FunnelStep[] steps = [new("a", PagePath: "/p1"), new("b", PagePath: "/p2"), new("c", EventName: "Signup")];
        var funnels = new[]
        {
            Query(whole, []), Query(new DateRange(Start.AddHours(12), Start.AddHours(60)), []),
            Query(whole, []) with { Filter = new Condition(FilterOperator.Is, Dimension.Find("visit:source")!, ["Google", "Yandex"]) },
            Query(whole, []) with { Filter = new Condition(FilterOperator.IsNot, Dimension.Find("event:page")!, ["/p4"]) },
        };
        async Task AllEqual()
        {
            foreach (var query in queries)
            {
                var expected = Lines(query, await duck.QueryAsync(query, CancellationToken.None));
                Assert.True(expected.Count >= (query.Dimensions.Count == 0 ? 1 : 3), string.Join("; ", expected));
                Assert.Equal(expected, Lines(query, await nodes[1].QueryAsync(query, CancellationToken.None)));
            }
            // Page engagement under a visit filter: each engagement event in its visit.
            var engagement = Query(new DateRange(Start.AddDays(1), Start.AddDays(2)), ["event:page"]) with
            {
                Filter = new Condition(FilterOperator.Is, Dimension.Find("visit:source")!, ["Google"]),
            };
            var embedded = await duck.PageEngagementAsync(engagement, CancellationToken.None);
            Assert.Equal((55d, 20d), (embedded["/night"].ScrollDepth, embedded["/night"].TimeOnPage));
            Assert.Equal(embedded.OrderBy(p => p.Key, StringComparer.Ordinal), (await nodes[1].PageEngagementAsync(engagement, CancellationToken.None)).OrderBy(p => p.Key, StringComparer.Ordinal));
            foreach (var funnel in funnels)
            {
                var expected = await duck.FunnelReachAsync(funnel, steps, CancellationToken.None);
                Assert.True(expected[2] > 0, string.Join("/", expected));
                Assert.Equal(expected, await nodes[1].FunnelReachAsync(funnel, steps, CancellationToken.None));
            }
        }
        // Visits cut at query time only, then with the first 34 hours built and the rest cut, then all built.
        await AllEqual();
        Assert.True(await nodes[0].Visits.BuildAsync(Start.AddHours(36), null, CancellationToken.None) > 20);
        await AllEqual();
        Assert.True(await nodes[1].Visits.BuildAsync(Start.AddDays(5), null, CancellationToken.None) > 20);
        Assert.Equal(0, await nodes[0].Visits.BuildAsync(Start.AddDays(5), null, CancellationToken.None));
        await AllEqual();
        // Not a trivial agreement: visitors come back, some visits bounce, and the 30-hour visitor is cut at 24 hours.
        var totals = Assert.Single((await nodes[0].QueryAsync(queries[0], CancellationToken.None)).Rows).Metrics;
        Assert.True((long)totals[Metric.Visits]! > (long)totals[Metric.Visitors]! && (double)totals[Metric.BounceRate]! is > 0 and < 100);

        // A backfill into built hours: reports count it at once, before any rebuild, and after it.
        var random = new Random(11);
        var late = Enumerable.Range(0, 40).Select(_ => new EnrichedEvent
        {
            SiteId = 3, Timestamp = Start.AddHours(10).AddSeconds(random.Next(30 * 3600)), VisitorId = random.Next(1, 301), Name = "pageview", Pathname = "/late",
            Hostname = "x", Source = "Google", Channel = "Organic Search", Country = "RU", Browser = "Firefox", OperatingSystem = "Linux", Device = "Desktop",
        }).OrderBy(e => e.Timestamp).ToList();
        await nodes[0].AppendAsync(late.Select((e, i) => Copy(e, 1_000_000 + i)).ToList(), CancellationToken.None);
        await duck.AppendAsync(late.Select((e, i) => Copy(e, traffic.Count + 1 + i)).ToList(), CancellationToken.None);
        await duck.RefreshVisitsAsync(CancellationToken.None);
        await AllEqual();
        Assert.True(await nodes[0].Visits.BuildAsync(Start.AddDays(5), null, CancellationToken.None) > 20);
        await AllEqual();
    }

    /// <summary>
    /// An install from before the midnight table: <c>migrate</c> adds it and copies the stored events near midnight, so
    /// a visit going on across midnight is still one visit of one visitor.
    /// </summary>
    [Fact]
    public async Task Migrate_InstallWithoutTheMidnightTable_CopiesItsEventsNearMidnight()
    {
        var (store, query) = await InstallBeforeTheMidnightTableAsync();

        await store.MigrateAsync(CancellationToken.None);
        var totals = Assert.Single((await store.QueryAsync(query, CancellationToken.None)).Rows).Metrics;
        Assert.Equal((1L, 1L, 3L), ((long)totals[Metric.Visitors]!, (long)totals[Metric.Visits]!, (long)totals[Metric.Pageviews]!));
        // Migrating again copies nothing twice that would count.
        await store.MigrateAsync(CancellationToken.None);
        Assert.Equal(1L, (long)Assert.Single((await store.QueryAsync(query, CancellationToken.None)).Rows).Metrics[Metric.Visits]!);
    }

    [Fact]
    public async Task Migrate_StoppedAfterCreatingTheMidnightTableBeforeItsCopy_CopiesOnTheNextRun()
    {
        var (store, query) = await InstallBeforeTheMidnightTableAsync();
        // Where a migration killed half-way leaves it: the midnight table and view exist, the stored events are not copied.
        await store.CreateTablesAsync(CancellationToken.None);

        await store.MigrateAsync(CancellationToken.None);
        var totals = Assert.Single((await store.QueryAsync(query, CancellationToken.None)).Rows).Metrics;
        Assert.Equal((1L, 1L, 3L), ((long)totals[Metric.Visitors]!, (long)totals[Metric.Visits]!, (long)totals[Metric.Pageviews]!));
    }

    /// <summary>
    /// Two shards as an install from before the midnight table left them, holding a visit that goes on across midnight
    /// (its events after midnight carry a new id), and the query that counts it: one visitor, one visit, three pageviews.
    /// </summary>
    async Task<(ClickHouseEventStore Store, StoreQuery Query)> InstallBeforeTheMidnightTableAsync()
    {
        var database = ClickHouseServers.NewDatabase();
        var store = new ClickHouseEventStore(servers.Options(database, 2), new HttpClient());
        await store.MigrateAsync(CancellationToken.None);
        foreach (var shard in store.Shards)
            foreach (var table in new[] { "midnight_view", "midnight_local", "midnight_copied" })
                await shard.ExecuteAsync($"DROP TABLE {database}.{table}", CancellationToken.None);
        var midnight = Start.AddDays(1);
        EnrichedEvent At(long sequence, DateTime at, long visitor, long yesterday) => new()
        {
            Sequence = sequence, SiteId = 3, Timestamp = at, VisitorId = visitor, PreviousDayVisitorId = yesterday, Name = "pageview", Pathname = "/", Hostname = "x",
        };
        await store.AppendAsync([At(1, midnight.AddMinutes(-10), 100, 100), At(2, midnight.AddMinutes(10), 201, 100), At(3, midnight.AddMinutes(35), 201, 201)], CancellationToken.None);
        var query = new StoreQuery
        {
            SiteId = 3, TimeZone = TimeZoneInfo.Utc, Range = new DateRange(Start, Start.AddDays(2)), Metrics = [Metric.Visitors, Metric.Visits, Metric.Pageviews],
        };
        return (store, query);
    }

    /// <summary>Each row's dimensions and the metrics the query asked for (a store may fill others it was not asked for).</summary>
    static List<string> Lines(StoreQuery query, StoreResult result) => result.Rows
        .Select(r => string.Join("|", r.Dimensions.Concat(query.Metrics.Select(m => Convert.ToString(r.Metrics[m], System.Globalization.CultureInfo.InvariantCulture)))))
        .Order(StringComparer.Ordinal).ToList();

    static EnrichedEvent Copy(EnrichedEvent e, long sequence, long? visitor = null) => new()
    {
        Sequence = sequence, SiteId = e.SiteId, Timestamp = e.Timestamp, VisitorId = visitor ?? e.VisitorId,
        PreviousDayVisitorId = e.PreviousDayVisitorId == 0 ? e.VisitorId : e.PreviousDayVisitorId, Name = e.Name,
        Pathname = e.Pathname, Hostname = e.Hostname, Source = e.Source, Channel = e.Channel, Country = e.Country, Browser = e.Browser, OperatingSystem = e.OperatingSystem,
        Device = e.Device, Interactive = e.Interactive, ScrollDepth = e.ScrollDepth, EngagementMilliseconds = e.EngagementMilliseconds,
    };
}
