using DuckDB.NET.Data;
using Panorama.Core.Ingestion;
using Panorama.Storage.DuckDb;
using Panorama.Tests.Support;

namespace Panorama.Tests.Integration;

/// <summary>
/// A deleted site's rows, or every row before a retention cutoff, leave every table, and sequences go on above the
/// deleted ones after a restart, so events stored later still reach the visit passes.
/// </summary>
public sealed class DuckDbDeletionTests : IDisposable
{
    readonly TempDirectory folder = new();
    static readonly DateTime Noon = new(2026, 11, 21, 12, 0, 0);

    public void Dispose() => folder.Dispose();

    string StorePath => Path.Combine(folder.Path, "events.duckdb");

    long Scalar(string sql)
    {
        // A second connection in this process shares the store's database.
        using var connection = new DuckDBConnection($"Data Source={StorePath}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar());
    }

    object? ScalarObject(string sql)
    {
        using var connection = new DuckDBConnection($"Data Source={StorePath}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    /// <summary>The same event as the first half hour after midnight sends it: its id under yesterday's salt differs.</summary>
    static EnrichedEvent Renamed(EnrichedEvent e, long yesterday) => new()
    {
        Sequence = e.Sequence, SiteId = e.SiteId, Timestamp = e.Timestamp, Name = e.Name, Pathname = e.Pathname, Hostname = e.Hostname,
        Source = e.Source, Interactive = true, VisitorId = e.VisitorId, PreviousDayVisitorId = yesterday,
    };

    DuckDbEventStore Open() => new(new DuckDbOptions { Path = StorePath, Threads = 1, MemoryLimit = "256MB" });

    static EnrichedEvent Pageview(long sequence, int site, long visitor, DateTime at) => new()
    {
        Sequence = sequence, SiteId = site, Timestamp = at, Name = EnrichedEvent.Pageview, Pathname = "/", Hostname = "s.example",
        Source = "Direct / None", Interactive = true, VisitorId = visitor, PreviousDayVisitorId = visitor,
    };

    [Fact]
    public async Task DeleteSite_RowsGone_SequencesGoOnAboveTheDeletedOnes_NewEventsGetVisits()
    {
        using (var store = Open())
        {
            await store.AppendAsync([.. Enumerable.Range(1, 10).Select(i => Pageview(i, 1, i, Noon.AddMinutes(i)))], CancellationToken.None);
            // Site 2's events are the latest, and straddle midnight UTC so the midnight pairs hold some.
            await store.AppendAsync([.. Enumerable.Range(11, 10).Select(i => Pageview(i, 2, i, Noon.Date.AddDays(1).AddMinutes(i - 15)))], CancellationToken.None);
            Assert.Equal(20, await store.RefreshVisitsAsync(CancellationToken.None));
            store.BuildPageDays(Noon.AddDays(3));

            Assert.Equal(10, await store.DeleteSiteAsync(2, CancellationToken.None));
            Assert.Equal((10, 0), (store.CountEvents(1), store.CountEvents(2)));
            foreach (var table in new[] { "visits", "page_days", "midnight_pairs" })
                Assert.Equal(0L, Scalar($"SELECT count(*) FROM {table} WHERE site_id = 2"));
            Assert.Equal(10L, Scalar("SELECT count(*) FROM visits WHERE site_id = 1"));
        }

        using var reopened = Open();
        Assert.Equal(20, await reopened.MaxSequenceAsync(CancellationToken.None));
        await reopened.AppendAsync([Pageview(21, 1, 99, Noon.AddHours(2))], CancellationToken.None);
        Assert.Equal(21, await reopened.RefreshVisitsAsync(CancellationToken.None));
        Assert.Equal(11L, Scalar("SELECT count(*) FROM visits WHERE site_id = 1"));
    }
    [Fact]
    public async Task DeleteBefore_EveryTableLosesTheMonthsBefore_SequencesGoOnAboveABackfill()
    {
        var october = new DateTime(2026, 10, 1);
        using (var store = Open())
        {
            // September: ten visitors; one visit from 23:50 on the 30th into October; October: ten visitors; then a late
            // backfill of a September event, which holds the highest sequence.
            await store.AppendAsync([.. Enumerable.Range(1, 10).Select(i => Pageview(i, 1, i, new DateTime(2026, 9, 15, 12, i, 0)))], CancellationToken.None);
            await store.AppendAsync([Pageview(11, 1, 50, october.AddMinutes(-10)), Renamed(Pageview(12, 1, 51, october.AddMinutes(5)), 50)], CancellationToken.None);
            await store.AppendAsync([.. Enumerable.Range(13, 10).Select(i => Pageview(i, 1, i, new DateTime(2026, 10, 15, 12, i, 0)))], CancellationToken.None);
            await store.AppendAsync([Renamed(Pageview(23, 1, 99, new DateTime(2026, 9, 20, 0, 10, 0)), 98)], CancellationToken.None);
            Assert.Equal(23, await store.RefreshVisitsAsync(CancellationToken.None));
            store.BuildPageDays(new DateTime(2026, 11, 28));
            Assert.Equal(2L, Scalar("SELECT count(DISTINCT day) FROM midnight_pairs"));

            Assert.Equal(12, await store.DeleteBeforeAsync(october, CancellationToken.None));
            Assert.Equal(11, store.CountEvents(1));
            Assert.Equal(0L, Scalar("SELECT count(*) FROM events WHERE ts < TIMESTAMP '2026-10-01'"));
            // The visit that began on September 30 goes with its start; October's ten stay.
            Assert.Equal(10L, Scalar("SELECT count(*) FROM visits"));
            Assert.Equal(0L, Scalar("SELECT count(*) FROM page_days WHERE day < DATE '2026-10-01'"));
            Assert.True(Scalar("SELECT count(*) FROM page_days") > 0);
            Assert.Equal("2026-10-01", ScalarObject("SELECT string_agg(DISTINCT CAST(day AS VARCHAR), ',') FROM midnight_pairs"));
            Assert.Equal(0, await store.DeleteBeforeAsync(october, CancellationToken.None));
        }

        using var reopened = Open();
        Assert.Equal(23, await reopened.MaxSequenceAsync(CancellationToken.None));
    }
}
