using Panorama.Core.Ingestion;
using Panorama.Core.Reports;
using Panorama.Core.Reports.Query;
using Panorama.Storage.DuckDb;
using Panorama.Tests.Support;

namespace Panorama.Tests.Integration;

/// <summary>How the embedded store cuts visits and computes the top-line numbers, on hand-made events.</summary>
public sealed class DuckDbVisitTests : IDisposable
{
    readonly TempDirectory folder = new();
    readonly DuckDbEventStore store;
    static readonly DateTime Day = new(2026, 11, 20);
    static readonly DateRange WholeDay = new(Day, Day.AddDays(1));

    public DuckDbVisitTests() => store = new DuckDbEventStore(new DuckDbOptions { Path = Path.Combine(folder.Path, "events.duckdb"), Threads = 1, MemoryLimit = "256MB" });

    static EnrichedEvent Event(long visitor, DateTime at, string name = "pageview", string path = "/", bool interactive = false, string source = "Direct / None",
        string country = "", string utmSource = "") => new()
    {
        SiteId = 1, Timestamp = at, VisitorId = visitor, Name = name, Pathname = path, Hostname = "s.example",
        Source = source, Interactive = interactive, Country = country, UtmSource = utmSource,
    };

    long sequence;

    /// <summary>Appends as the pipeline does: numbered in arrival order.</summary>
    async Task Append(params EnrichedEvent[] events)
    {
        foreach (var e in events) e.Sequence = ++sequence;
        await store.AppendAsync(events, CancellationToken.None);
        Assert.Equal(sequence, await store.RefreshVisitsAsync(CancellationToken.None));
    }

    sealed record Summary(long Visitors, long Visits, long Pageviews, double ViewsPerVisit, double BounceRate, long VisitDuration, long Events);

    async Task<Summary> Summarize(DateRange? range = null, params EnrichedEvent[] events)
    {
        await Append(events);
        return await SummaryOf(range ?? WholeDay);
    }

    async Task<Summary> SummaryOf(DateRange range)
    {
        var rows = (await store.QueryAsync(new StoreQuery { SiteId = 1, TimeZone = TimeZoneInfo.Utc, Range = range, Metrics = StoreQuery.StoreMetrics }, CancellationToken.None)).Rows;
        if (rows.Count == 0) return new Summary(0, 0, 0, 0, 0, 0, 0);
        var m = rows[0].Metrics;
        return new Summary((long)m[Metric.Visitors]!, (long)m[Metric.Visits]!, (long)m[Metric.Pageviews]!, (double)m[Metric.ViewsPerVisit]!,
            (double)m[Metric.BounceRate]!, (long)m[Metric.VisitDuration]!, (long)m[Metric.Events]!);
    }

    async Task<IReadOnlyList<QueryRow>> Breakdown(string dimension) =>
        (await store.QueryAsync(new StoreQuery
        {
            SiteId = 1, TimeZone = TimeZoneInfo.Utc, Range = WholeDay, Metrics = StoreQuery.StoreMetrics, Dimensions = [Dimension.Find(dimension)!],
            OrderBy = [("visitors", true)],
        }, CancellationToken.None)).Rows;

    [Fact]
    public async Task Summary_GapUnder30Minutes_OneVisit()
    {
        var start = Day.AddHours(10);
        var summary = await Summarize(null, Event(1, start), Event(1, start.AddMinutes(29).AddSeconds(59)));
        Assert.Equal((1L, 1L, 2L), (summary.Visitors, summary.Visits, summary.Pageviews));
        Assert.Equal(1799, summary.VisitDuration);
    }

    [Fact]
    public async Task Summary_GapOf30Minutes_TwoVisits()
    {
        var start = Day.AddHours(10);
        var summary = await Summarize(null, Event(1, start), Event(1, start.AddMinutes(30)));
        Assert.Equal((1L, 2L), (summary.Visitors, summary.Visits));
        Assert.Equal(100, summary.BounceRate);
        Assert.Equal(0, summary.VisitDuration);
    }

    [Fact]
    public async Task Summary_OneEventPerPass_JoinsOrStartsVisitsAtThe30MinuteLine()
    {
        var t = Day.AddHours(10);
        // Each Append is its own pass: an event alone in its pass either continues a visit (within 30 minutes of it)
        // or is a visit by itself.
        await Append(Event(1, t, path: "/a"));
        await Append(Event(1, t.AddSeconds(1799), path: "/b"));
        await Append(Event(1, t.AddSeconds(1799 + 1800), path: "/c"));
        await Append(Event(2, t, "Signup", path: "/x", interactive: true));
        var summary = await SummaryOf(WholeDay);
        Assert.Equal((2L, 3L, 3L), (summary.Visitors, summary.Visits, summary.Pageviews));
        // Visits: /a→/b (1799 s), /c (bounce), Signup alone (interactive, no bounce).
        Assert.Equal(33, summary.BounceRate);
        Assert.Equal(600, summary.VisitDuration);
        var entry = await Breakdown("visit:entry_page");
        Assert.Equal([("/a", 1L), ("/c", 1L), ("(none)", 1L)], entry.Select(r => (r.Dimensions[0], (long)r.Metrics[Metric.Visits]!)).OrderBy(r => r.Item1 == "(none)").ThenBy(r => r.Item1));
    }

    [Fact]
    public async Task Summary_ActiveFor25Hours_CutAt24Hours()
    {
        var start = Day.AddHours(1);
        var events = Enumerable.Range(0, 76).Select(i => Event(1, start.AddMinutes(20 * i))).ToArray();
        var summary = await Summarize(new DateRange(Day, Day.AddDays(2)), events);
        Assert.Equal(2, summary.Visits);
        Assert.Equal(76, summary.Pageviews);
    }

    [Fact]
    public async Task Summary_Bounce_OnePageviewWithoutInteractiveEvent()
    {
        var t = Day.AddHours(9);
        var summary = await Summarize(null,
            Event(1, t),                                                   // bounce
            Event(2, t), Event(2, t.AddSeconds(10), "Signup", interactive: true), // not: interactive event
            Event(3, t), Event(3, t.AddSeconds(10), "Seen", interactive: false),  // bounce: non-interactive event
            Event(4, t), Event(4, t.AddSeconds(20), "engagement"),          // bounce: engagement ignored
            Event(5, t), Event(5, t.AddSeconds(40), path: "/b"));         // not: two pageviews
        Assert.Equal(5, summary.Visits);
        Assert.Equal(60, summary.BounceRate);
        Assert.Equal(6, summary.Pageviews);
        Assert.Equal(8, summary.Events);
        // Durations 0, 10, 10, 0 (engagement does not extend), 40 → mean 12.
        Assert.Equal(12, summary.VisitDuration);
        Assert.Equal(1.2, summary.ViewsPerVisit);
    }

    [Fact]
    public async Task Summary_VisitStartedBeforePeriod_CountsInTheEarlierPeriod()
    {
        var summary = await Summarize(null, Event(1, Day.AddMinutes(-10)), Event(1, Day.AddMinutes(5)), Event(2, Day.AddMinutes(5)));
        Assert.Equal(2, summary.Visitors);
        Assert.Equal(1, summary.Visits);
        Assert.Equal(2, summary.Pageviews);
    }

    [Fact]
    public async Task Breakdown_EntryExitAndSource_FromTheVisitsFirstAndLastEvents()
    {
        var t = Day.AddHours(12);
        await Append(
            Event(1, t, path: "/a", source: "Google"), Event(1, t.AddMinutes(1), path: "/b", source: "Direct / None"), Event(1, t.AddMinutes(2), path: "/c"),
            Event(2, t, path: "/a", source: "Google"),
            Event(3, t, path: "/b", source: "Yandex"), Event(3, t.AddMinutes(1), "Signup", path: "/b", interactive: true));

        var entry = await Breakdown("visit:entry_page");
        Assert.Equal([("/a", 2L, 2L), ("/b", 1L, 1L)], entry.Select(r => (r.Dimensions[0], (long)r.Metrics[Metric.Visitors]!, (long)r.Metrics[Metric.Visits]!)));
        var exit = await Breakdown("visit:exit_page");
        Assert.Equal(["/a", "/b", "/c"], exit.Select(r => r.Dimensions[0]).Order());
        var sources = await Breakdown("visit:source");
        Assert.Equal([("Google", 2L, 50.0, 60L), ("Yandex", 1L, 0.0, 60L)],
            sources.Select(r => (r.Dimensions[0], (long)r.Metrics[Metric.Visitors]!, (double)r.Metrics[Metric.BounceRate]!, (long)r.Metrics[Metric.VisitDuration]!)));
        var pages = await Breakdown("event:page");
        Assert.Equal([("/a", 2L, 2L), ("/b", 2L, 2L), ("/c", 1L, 1L)], pages.Select(r => (r.Dimensions[0], (long)r.Metrics[Metric.Visitors]!, (long)r.Metrics[Metric.Pageviews]!)));
    }

    [Fact]
    public async Task Breakdown_EventsArriveInLaterPassesAndOutOfOrder_VisitsCutAgain()
    {
        var t = Day.AddHours(12);
        // Each Append is its own visit pass: the later passes must re-cut the visits the earlier ones stored.
        await Append(Event(1, t.AddMinutes(10), path: "/b", source: "Direct / None"), Event(2, t, path: "/x", source: "Yandex"));
        await Append(Event(1, t, path: "/a", source: "Google"));
        await Append(Event(1, t.AddMinutes(20), path: "/c"), Event(2, t.AddMinutes(40), path: "/y", source: "Direct / None"));
        var before = await SummaryOf(WholeDay);
        Assert.Equal((2L, 3L, 5L, 400L), (before.Visitors, before.Visits, before.Pageviews, before.VisitDuration));
        // A late event between visitor 2's two visits joins them into one.
        await Append(Event(2, t.AddMinutes(20), path: "/z", source: "Direct / None"));

        var entry = await Breakdown("visit:entry_page");
        Assert.Equal([("/a", 1L), ("/x", 1L)], entry.Select(r => (r.Dimensions[0], (long)r.Metrics[Metric.Visits]!)).Order());
        var exit = await Breakdown("visit:exit_page");
        Assert.Equal(["/c", "/y"], exit.Select(r => r.Dimensions[0]).Order());
        var sources = await Breakdown("visit:source");
        Assert.Equal([("Google", 1L, 1200L), ("Yandex", 1L, 2400L)],
            sources.Select(r => (r.Dimensions[0], (long)r.Metrics[Metric.Visits]!, (long)r.Metrics[Metric.VisitDuration]!)).Order());
        var summary = await SummaryOf(WholeDay);
        Assert.Equal((2L, 2L, 6L, 0.0), (summary.Visitors, summary.Visits, summary.Pageviews, summary.BounceRate));
    }

    [Fact]
    public async Task Breakdown_VisitAttributes_AllFromTheFirstEventEvenWhenEmpty()
    {
        var t = Day.AddHours(12);
        // A later event's country or UTM tag does not change the visit: all its attributes are its first event's.
        await Append(
            Event(1, t),
            Event(1, t.AddMinutes(1), country: "DE", utmSource: "newsletter"),
            Event(2, t, country: "RU"));
        var countries = await Breakdown("visit:country");
        Assert.Equal(["(none)", "RU"], countries.Select(r => r.Dimensions[0]).Order());
        var campaigns = await Breakdown("visit:utm_source");
        Assert.DoesNotContain(campaigns, r => r.Dimensions[0] == "newsletter");
    }

    [Fact]
    public async Task Summary_OtherSite_NotCounted()
    {
        await Append(new EnrichedEvent { SiteId = 2, Timestamp = Day.AddHours(1), VisitorId = 1, Name = "pageview", Pathname = "/", Hostname = "x" });
        var summary = await SummaryOf(WholeDay);
        Assert.Equal(0, summary.Visitors);
    }

    public void Dispose()
    {
        store.Dispose();
        folder.Dispose();
    }
}
