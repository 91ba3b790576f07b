using DuckDB.NET.Data;

namespace Panorama.Storage.DuckDb;

public sealed partial class DuckDbEventStore
{
    public Task<long> DeleteSiteAsync(int siteId, CancellationToken cancellationToken) =>
        Task.FromResult(DeleteWhere(new DuckDBParameter("p", siteId), "site_id = $p", "site_id = $p", "site_id = $p", "site_id = $p"));

    /// <summary>Retention: every table loses what lies before the cutoff; a visit goes with the day it started.</summary>
    public Task<long> DeleteBeforeAsync(DateTime cutoff, CancellationToken cancellationToken) =>
        Task.FromResult(DeleteWhere(new DuckDBParameter("p", DateTime.SpecifyKind(cutoff, DateTimeKind.Unspecified)),
            "ts < $p", "day < CAST($p AS DATE)", "v_started < $p", "day < CAST($p AS DATE)"));

    /// <summary>
    /// Deletes from events and midnight pairs, then from visits and page days, each pair in one transaction on the connection,
    /// and under the lock, that writes it: DuckDB refuses a transaction deleting from a table another one appends to. The
    /// highest sequence stored goes to the floor first, so numbering goes on above deleted events. Returns the events deleted.
    /// </summary>
    long DeleteWhere(DuckDBParameter parameter, string events, string midnightPairs, string visits, string pageDays)
    {
        long removed;
        using (writing.EnterScope())
        {
            removed = Delete(writer, parameter, RaiseSequenceFloor, ("events", events), ("midnight_pairs", midnightPairs));
        }
        using (refreshing.EnterScope())
        {
            Delete(visitsWriter, parameter, null, ("visits", visits), ("page_days", pageDays));
        }
        return removed;
    }

    // Only when it raises the floor: retention runs every six hours, mostly deleting nothing.
    const string RaiseSequenceFloor = """
        INSERT INTO sequence_floor SELECT max(seq) FROM events
        HAVING max(seq) > (SELECT coalesce(max(sequence), 0) FROM sequence_floor)
        """;

    /// <summary>Deletes from the tables in one transaction, after a first statement; returns how many rows left the first table.</summary>
    static long Delete(DuckDBConnection connection, DuckDBParameter parameter, string? first, params (string Table, string Where)[] tables)
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
        foreach (var (table, where) in tables)
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"DELETE FROM {table} WHERE {where}";
            command.Parameters.Add(new DuckDBParameter(parameter.ParameterName, parameter.Value));
            var rows = command.ExecuteNonQuery();
            if (removed < 0) removed = rows;
        }
        transaction.Commit();
        return removed;
    }
}
