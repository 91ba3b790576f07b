using Panorama.Core.Ingestion;
using Panorama.Core.Reports;
using Panorama.Core.Reports.Query;
using Panorama.Storage.DuckDb;
using Panorama.Storage.DuckDb.Query;
using Panorama.Tests.Support;

namespace Panorama.Tests.Integration;

/// <summary>
/// Page breakdowns read whole days from the page days and the rest from the events; every number must be what the
/// events alone give, counted here independently, including after late events move the horizon back.
/// </summary>
public sealed class DuckDbPageDaysTests : IDisposable
{
    readonly TempDirectory folder = new();
    readonly DuckDbEventStore store;
    static readonly DateTime Day0 = new(2026, 11, 2);
    // The horizon a build at this time reaches: Day0 + 5 days.
    static readonly DateTime Now = Day0.AddDays(5).AddHours(3);
    static readonly string[] Paths = ["/", "/a", "/b", "/blog/x", "/blog/y"];
    readonly List<EnrichedEvent> events = [];
    long sequence;

    public DuckDbPageDaysTests() => store = new DuckDbEventStore(new DuckDbOptions { Path = Path.Combine(folder.Path, "events.duckdb"), Threads = 1, MemoryLimit = "256MB" });

    public void Dispose()
    {
        store.Dispose();
        folder.Dispose();
    }

    async Task Append(IEnumerable<EnrichedEvent> batch)
    {
        var list = batch.ToList();
        foreach (var e in list) e.Sequence = ++sequence;
        events.AddRange(list);
        await store.AppendAsync(list, CancellationToken.None);
        await store.RefreshVisitsAsync(CancellationToken.None);
    }

    static EnrichedEvent Event(int site, long visitor, DateTime at, string path, string name = "pageview") => new()
    {
        SiteId = site, VisitorId = visitor, Timestamp = at, Name = name, Pathname = path, Hostname = "s.example", Source = "Direct / None",
        Interactive = name != "pageview" && name != "engagement",
    };

    /// <summary>Seven days of two sites; visitors return on later days (not only the next), and send custom and engagement events.</summary>
    static IEnumerable<EnrichedEvent> Traffic(int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < 1500; i++)
        {
            var at = Day0.AddMinutes(random.Next(7 * 24 * 60));
            var path = Paths[random.Next(Paths.Length)];
            var name = random.Next(10) switch { 0 => "engagement", 1 => "Signup", _ => "pageview" };
            yield return Event(1 + random.Next(2), random.Next(60), at, path, name);
        }
    }

    StoreQuery Query(DateTime from, DateTime to, Filter? filter = null, int? limit = null, int offset = 0) => new()
    {
        SiteId = 1, TimeZone = TimeZoneInfo.Utc, Range = new DateRange(from, to), Filter = filter, Limit = limit, Offset = offset,
        Metrics = [Metric.Visitors, Metric.Pageviews, Metric.Events], Dimensions = [Dimension.Find("event:page")!], OrderBy = [("visitors", true)],
    };

    async Task<List<(string Page, long Visitors, long Pageviews, long Events)>> Pages(StoreQuery query) =>
        (await store.QueryAsync(query, CancellationToken.None)).Rows
        .Select(r => (r.Dimensions[0], (long)r.Metrics[Metric.Visitors]!, (long)r.Metrics[Metric.Pageviews]!, (long)r.Metrics[Metric.Events]!))
        .OrderBy(r => r.Item1, StringComparer.Ordinal).ToList();

    List<(string Page, long Visitors, long Pageviews, long Events)> Expected(DateTime from, DateTime to, Func<string, bool>? page = null) =>
        events.Where(e => e.SiteId == 1 && e.Name != "engagement" && e.Timestamp >= from && e.Timestamp < to && (page is null || page(e.Pathname)))
            .GroupBy(e => e.Pathname)
            .Select(g => (g.Key, (long)g.Select(e => e.VisitorId).Distinct().Count(), (long)g.Count(e => e.Name == "pageview"), (long)g.Count()))
            .OrderBy(r => r.Key, StringComparer.Ordinal).ToList();

    /// <summary>Whether the store answers the query from the page days (else it scans the events: right, but not what this tests).</summary>
    bool ReadsPageDays(StoreQuery query) => DuckDbQuerySql.PagesFromDays(query) && new DuckDbQuerySql(query).BuildPagesFromDays(store.PageDaysHorizon()) is not null;

    static readonly (DateTime From, DateTime To)[] Ranges =
    [
        (Day0, Day0.AddDays(7)),                                   // whole days before and after the horizon
        (Day0.AddHours(9), Day0.AddDays(4).AddHours(15)),          // edge hours on both sides
        (Day0.AddDays(-1).AddHours(21), Day0.AddDays(3).AddHours(21)), // a zone at UTC+3: its midnights are 21:00 UTC
        (Day0.AddDays(-1).AddHours(18).AddMinutes(30), Day0.AddDays(4).AddHours(18).AddMinutes(30)), // UTC+5:30 (India)
        (Day0.AddHours(5).AddMinutes(15), Day0.AddDays(3).AddHours(5).AddMinutes(15)), // edges 15 minutes past an hour (UTC+5:45, Nepal, has such midnights)
        (Day0.AddDays(2), Day0.AddDays(3)),                        // one whole day
        (Day0.AddDays(3), Day0.AddDays(5)),                        // ends at the horizon
    ];

    [Fact]
    public async Task Pages_WholeDaysFromPageDays_SameNumbersAsTheEvents()
    {
        await Append(Traffic(1));
        Assert.True(store.BuildPageDays(Now) > 0);
        Assert.Equal(Day0.AddDays(5), store.PageDaysHorizon());

        foreach (var (from, to) in Ranges)
        {
            Assert.True(ReadsPageDays(Query(from, to)), $"{from:u} – {to:u}");
            Assert.Equal(Expected(from, to), await Pages(Query(from, to)));
        }
        // A period after the horizon has no whole day in the page days: the events answer alone.
        Assert.False(ReadsPageDays(Query(Day0.AddDays(5), Day0.AddDays(7))));
        Assert.Equal(Expected(Day0.AddDays(5), Day0.AddDays(7)), await Pages(Query(Day0.AddDays(5), Day0.AddDays(7))));
    }

    [Fact]
    public async Task Pages_PageFilterAndPagination_FromPageDays()
    {
        await Append(Traffic(2));
        store.BuildPageDays(Now);
        var blog = new Condition(FilterOperator.Contains, Dimension.Find("event:page")!, ["/blog"]);
        var query = Query(Day0.AddHours(5), Day0.AddDays(6), blog);
        Assert.True(ReadsPageDays(query));
        Assert.Equal(Expected(Day0.AddHours(5), Day0.AddDays(6), p => p.Contains("/blog", StringComparison.Ordinal)), await Pages(query));

        var all = Expected(Day0, Day0.AddDays(7)).OrderByDescending(r => r.Visitors).ThenBy(r => r.Page, StringComparer.Ordinal).ToList();
        var page = await store.QueryAsync(Query(Day0, Day0.AddDays(7), limit: 2, offset: 1), CancellationToken.None);
        Assert.Equal(all.Skip(1).Take(2).Select(r => r.Page), page.Rows.Select(r => r.Dimensions[0]));
        Assert.Equal(all.Count, page.TotalRows);
    }

    [Fact]
    public async Task Pages_LateEventsBeforeTheHorizon_CountedAtOnceAndAfterTheNextBuild()
    {
        await Append(Traffic(3));
        store.BuildPageDays(Now);
        // A backfill: a visitor seen on day 3 now also on day 1 (same page), and a new pair on day 2.
        var seen = events.First(e => e.SiteId == 1 && e.Name == "pageview" && e.Timestamp >= Day0.AddDays(3) && e.Timestamp < Day0.AddDays(4));
        await Append([Event(1, seen.VisitorId, Day0.AddDays(1).AddHours(2), seen.Pathname), Event(1, 999, Day0.AddDays(2).AddHours(5), "/late")]);
        Assert.Equal(Day0.AddDays(1), store.PageDaysHorizon());
        foreach (var (from, to) in Ranges) Assert.Equal(Expected(from, to), await Pages(Query(from, to)));

        Assert.True(store.BuildPageDays(Now) > 0);
        Assert.Equal(Day0.AddDays(5), store.PageDaysHorizon());
        foreach (var (from, to) in Ranges)
        {
            Assert.True(ReadsPageDays(Query(from, to)));
            Assert.Equal(Expected(from, to), await Pages(Query(from, to)));
        }
    }

    [Fact]
    public void PagesFromDays_OnlyPageMetricsDimensionAndFilters()
    {
        var pages = Query(Day0, Day0.AddDays(7));
        Assert.True(DuckDbQuerySql.PagesFromDays(pages));
        Assert.False(DuckDbQuerySql.PagesFromDays(pages with { Metrics = [Metric.Visitors, Metric.BounceRate] }));
        Assert.False(DuckDbQuerySql.PagesFromDays(pages with { Dimensions = [Dimension.Find("event:hostname")!] }));
        Assert.False(DuckDbQuerySql.PagesFromDays(pages with { Filter = new Condition(FilterOperator.Is, Dimension.Find("visit:source")!, ["Google"]) }));
    }
}
