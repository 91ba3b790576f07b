using DuckDB.NET.Data;

namespace Panorama.Storage.DuckDb;

public sealed partial class DuckDbEventStore
{
    public Task<long> DeleteSiteAsync(int siteId, CancellationToken cancellationToken)
    {
        // Each table on the connection, and under the lock, that writes it: DuckDB refuses a transaction deleting from a
        // table another one appends to.
        long removed;
        using (writing.EnterScope())
        {
            removed = Delete(writer, siteId, "INSERT INTO sequence_floor SELECT coalesce(max(seq), 0) FROM events", "events", "midnight_pairs");
        }
        using (refreshing.EnterScope())
        {
            Delete(visitsWriter, siteId, null, "visits", "page_days");
        }
        return Task.FromResult(removed);
    }

    /// <summary>Deletes the site's rows from the tables in one transaction, after a first statement; returns how many left the first table.</summary>
    static long Delete(DuckDBConnection connection, int siteId, string? first, params string[] tables)
    {
        using var transaction = connection.BeginTransaction();
        if (first is not null)
        {
            using var before = connection.CreateCommand();
            before.Transaction = transaction;
            before.CommandText = first;
            before.ExecuteNonQuery();
        }
        long removed = -1;
        foreach (var table in tables)
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"DELETE FROM {table} WHERE site_id = $site";
            command.Parameters.Add(new DuckDBParameter("site", siteId));
            var rows = command.ExecuteNonQuery();
            if (removed < 0) removed = rows;
        }
        transaction.Commit();
        return removed;
    }
}
