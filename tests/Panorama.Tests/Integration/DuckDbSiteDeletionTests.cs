using DuckDB.NET.Data;
using Panorama.Core.Ingestion;
using Panorama.Storage.DuckDb;
using Panorama.Tests.Support;

namespace Panorama.Tests.Integration;

/// <summary>
/// A deleted site's rows leave every table, and sequences go on above the deleted ones after a restart, so events
/// stored later still reach the visit passes.
/// </summary>
public sealed class DuckDbSiteDeletionTests : IDisposable
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
}
