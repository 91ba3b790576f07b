using DuckDB.NET.Data;
using Panorama.Core.Ingestion;
using Panorama.Core.Reports;
using Panorama.Core.Reports.Query;
using Panorama.Storage.DuckDb;
using Panorama.Tests.Support;

namespace Panorama.Tests.Integration;

/// <summary>
/// The pairs that carry a visit over midnight are pruned a week after they were stored: before that a late event
/// still continues the visit, and pruning never changes what the reports say.
/// </summary>
public sealed class DuckDbMidnightPairsTests : IDisposable
{
    readonly TempDirectory folder = new();
    string StorePath => Path.Combine(folder.Path, "events.duckdb");
    static readonly DateTime Midnight = new(2026, 11, 21);
    const long Yesterday = 41, Today = 42;
    long sequence;

    public void Dispose() => folder.Dispose();

    DuckDbEventStore Open() => new(new DuckDbOptions { Path = StorePath, Threads = 1, MemoryLimit = "256MB" });

    /// <summary>A pageview by one person: before midnight under yesterday's id, in the first half hour with both ids, later under today's.</summary>
    EnrichedEvent Pageview(DateTime at) => new()
    {
        Sequence = ++sequence, SiteId = 1, Timestamp = at, Name = EnrichedEvent.Pageview, Pathname = "/", Hostname = "s.example",
        Source = "Direct / None", Interactive = true,
        VisitorId = at < Midnight ? Yesterday : Today,
        PreviousDayVisitorId = at < Midnight ? Yesterday : at < Midnight.AddMinutes(30) ? Yesterday : Today,
    };

    static async Task Append(DuckDbEventStore store, params EnrichedEvent[] events)
    {
        await store.AppendAsync(events, CancellationToken.None);
        await store.RefreshVisitsAsync(CancellationToken.None);
    }

    static async Task<(long Visitors, long Visits, long Pageviews)> Summary(DuckDbEventStore store)
    {
        var rows = (await store.QueryAsync(new StoreQuery
        {
            SiteId = 1, TimeZone = TimeZoneInfo.Utc, Range = new DateRange(Midnight.AddDays(-1), Midnight.AddDays(1)), Metrics = StoreQuery.StoreMetrics,
        }, CancellationToken.None)).Rows;
        var m = rows[0].Metrics;
        return ((long)m[Metric.Visitors]!, (long)m[Metric.Visits]!, (long)m[Metric.Pageviews]!);
    }

    [Fact]
    public async Task Prune_KeepsPairsForAWeek_ThenDeletesThem_AndTheVisitsStayAsTheyWere()
    {
        using var store = Open();
        var stored = DateTime.UtcNow;
        await Append(store, Pageview(Midnight.AddMinutes(-10)), Pageview(Midnight.AddMinutes(10)));

        Assert.Equal(0, store.PruneMidnightPairs(stored.AddDays(6)));
        // A late event under today's id only, after the first half hour: the kept pair still joins it to the visit.
        await Append(store, Pageview(Midnight.AddMinutes(35)));
        Assert.Equal((1L, 1L, 3L), await Summary(store));

        Assert.Equal(1, store.PruneMidnightPairs(stored.AddDays(8)));
        Assert.Equal(0, store.PruneMidnightPairs(stored.AddDays(8)));
        Assert.Equal((1L, 1L, 3L), await Summary(store));
    }

    [Fact]
    public async Task Open_StoreFromBeforePruning_GetsTheColumn_AndItsPairsCountFromTheUpgrade()
    {
        using (var old = new DuckDBConnection($"Data Source={StorePath}"))
        {
            old.Open();
            using var command = old.CreateCommand();
            command.CommandText = """
                CREATE TABLE midnight_pairs (site_id INTEGER NOT NULL, own_id BIGINT NOT NULL, prev_id BIGINT NOT NULL, day DATE NOT NULL);
                INSERT INTO midnight_pairs VALUES (1, 42, 41, DATE '2025-01-01');
                """;
            command.ExecuteNonQuery();
        }
        var opened = DateTime.UtcNow;
        using var store = Open();
        Assert.Equal(0, store.PruneMidnightPairs(opened.AddDays(6)));
        Assert.Equal(1, store.PruneMidnightPairs(opened.AddDays(8)));
    }
}
