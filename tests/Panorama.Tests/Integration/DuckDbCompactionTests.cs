using Panorama.Core.Ingestion;
using Panorama.Core.Reports;
using Panorama.Core.Reports.Query;
using Panorama.Storage.DuckDb;
using Panorama.Tests.Support;

namespace Panorama.Tests.Integration;

/// <summary>Clustering closed weeks by site rewrites rows, never what they add up to.</summary>
public sealed class DuckDbCompactionTests : IDisposable
{
    readonly TempDirectory folder = new();
    readonly DuckDbEventStore store;
    // Monday 2026-11-02 .. Sunday 2026-11-08 is closed by Wednesday 2026-11-11.
    static readonly DateTime WeekStart = new(2026, 11, 2);
    static readonly DateTime Now = new(2026, 11, 11, 12, 0, 0);
    long sequence;

    public DuckDbCompactionTests() => store = new DuckDbEventStore(new DuckDbOptions { Path = Path.Combine(folder.Path, "events.duckdb"), Threads = 1, MemoryLimit = "256MB" });

    public void Dispose()
    {
        store.Dispose();
        folder.Dispose();
    }

    async Task AppendInterleavedAsync(DateTime from, int count)
    {
        var batch = Enumerable.Range(0, count).Select(i => new EnrichedEvent
        {
            Sequence = ++sequence, SiteId = 1 + i % 3, Timestamp = from.AddMinutes(7 * i), VisitorId = i % 40, Name = i % 5 == 0 ? "Signup" : "pageview",
            Pathname = "/p" + i % 6, Hostname = "s.example", Source = i % 2 == 0 ? "Google" : "Direct / None", Interactive = true,
        }).ToArray();
        await store.AppendAsync(batch, CancellationToken.None);
        await store.RefreshVisitsAsync(CancellationToken.None);
    }

    async Task<string> ReportsAsync()
    {
        var lines = new List<string>();
        foreach (var site in new[] { 1, 2, 3 })
        foreach (var dimension in new[] { null, "event:page", "visit:source", "time:day" })
        {
            var result = await store.QueryAsync(new StoreQuery
            {
                SiteId = site, TimeZone = TimeZoneInfo.Utc, Range = new DateRange(WeekStart.AddDays(-7), Now), Metrics = StoreQuery.StoreMetrics,
                Dimensions = dimension is null ? [] : [Dimension.Find(dimension)!],
            }, CancellationToken.None);
            lines.AddRange(result.Rows.Select(r => $"{site} {string.Join('|', r.Dimensions)} {string.Join(',', r.Metrics.OrderBy(m => m.Key).Select(m => m.Value))}"));
        }
        lines.Sort(StringComparer.Ordinal);
        return string.Join('\n', lines);
    }

    [Fact]
    public async Task CompactClosedWeeks_ReportsUnchanged_AndEachWeekOnceUntilItGrows()
    {
        await AppendInterleavedAsync(WeekStart.AddDays(-7), 2800);   // two closed weeks
        await AppendInterleavedAsync(Now.AddDays(-1), 100);          // the open week
        var before = await ReportsAsync();

        Assert.Equal(4, store.CompactClosedWeeks(Now));   // two weeks of events, two of visits
        Assert.Equal(before, await ReportsAsync());
        Assert.Equal(sequence, await store.MaxSequenceAsync(CancellationToken.None));
        Assert.Equal(0, store.CompactClosedWeeks(Now));

        await AppendInterleavedAsync(WeekStart.AddDays(1), 200);     // a late backfill: more than a tenth of that week
        Assert.Equal(2, store.CompactClosedWeeks(Now));
        Assert.Equal(3100, store.CountEvents(1) + store.CountEvents(2) + store.CountEvents(3));
    }
}
