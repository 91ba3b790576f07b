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
            removed = Delete(writer, siteId, "events", "midnight_pairs");
        }
        using (refreshing.EnterScope())
        {
            Delete(visitsWriter, siteId, "visits", "page_days");
        }
        return Task.FromResult(removed);
    }

    /// <summary>Deletes the site's rows from the tables in one transaction; returns how many left the first.</summary>
    static long Delete(DuckDBConnection connection, int siteId, params string[] tables)
    {
        using var transaction = connection.BeginTransaction();
        long first = -1;
        foreach (var table in tables)
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"DELETE FROM {table} WHERE site_id = $site";
            command.Parameters.Add(new DuckDBParameter("site", siteId));
            var rows = command.ExecuteNonQuery();
            if (first < 0) first = rows;
        }
        transaction.Commit();
        return first;
    }
}
