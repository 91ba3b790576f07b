using DuckDB.NET.Data;

namespace Panorama.Storage.DuckDb;

/// <summary>
/// Events and visits arrive in time order, so every row group holds every site's rows of its hour, and a query
/// for one site scans all sites' rows of its period. Once a UTC week is over, its events and its visits are
/// rewritten ordered by (site, time): DuckDB's per-row-group min/max then lets a query skip other sites' row
/// groups. A week is rewritten again when late (backfilled) rows have grown it by a tenth. Rows are moved, not
/// changed (events keep their sequence numbers), so replay and reports are unaffected.
/// </summary>
public sealed partial class DuckDbEventStore
{
    /// <summary>A week is closed (and worth clustering) this long after it ends, so that late events are in.</summary>
    static readonly TimeSpan ClosedAfter = TimeSpan.FromDays(1);

    readonly Lock writing = new();

    sealed record ClusteredTable(string Name, string TimeColumn, string Order);

    static readonly ClusteredTable[] Clustered =
    [
        new("events", "ts", "site_id, ts, seq"),
        new("visits", "v_started", "site_id, v_started, visitor_id"),
    ];

    /// <summary>Clusters every closed week not clustered yet (or grown since), events then visits; returns how many week-tables it rewrote.</summary>
    public int CompactClosedWeeks(DateTime now)
    {
        var closedBefore = WeekStart(now - ClosedAfter);
        var rewritten = 0;
        foreach (var table in Clustered)
        {
            foreach (var week in DueWeeks(table, closedBefore))
            {
                // Appends (events) and visit refreshes (visits) take the same locks: DuckDB refuses two transactions
                // deleting from and writing to one table.
                var (gate, connection) = table.Name == "events" ? (writing, writer) : (refreshing, visitsWriter);
                using var _ = gate.EnterScope();
                using var transaction = connection.BeginTransaction();
                using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = $"""
                    CREATE OR REPLACE TEMP TABLE compacting AS
                        SELECT * FROM {table.Name} WHERE {table.TimeColumn} >= $from AND {table.TimeColumn} < $to ORDER BY {table.Order};
                    DELETE FROM {table.Name} WHERE {table.TimeColumn} >= $from AND {table.TimeColumn} < $to;
                    INSERT INTO {table.Name} SELECT * FROM compacting ORDER BY {table.Order};
                    INSERT OR REPLACE INTO compaction SELECT '{table.Name}', $from, count(*) FROM compacting;
                    DROP TABLE compacting;
                    """;
                command.Parameters.Add(new DuckDBParameter("from", week));
                command.Parameters.Add(new DuckDBParameter("to", week.AddDays(7)));
                command.ExecuteNonQuery();
                transaction.Commit();
                rewritten++;
            }
        }
        if (rewritten > 0)
        {
            try
            {
                // Drops the emptied row groups now; DuckDB would otherwise do it at its next automatic checkpoint.
                Execute(root, "CHECKPOINT");
            }
            catch (DuckDBException)
            {
                // Other transactions were running: the automatic checkpoint will do it.
            }
        }
        return rewritten;
    }

    List<DateTime> DueWeeks(ClusteredTable table, DateTime closedBefore)
    {
        using var command = root.CreateCommand();
        command.CommandText = $"""
            SELECT w.week FROM (
                SELECT date_trunc('week', {table.TimeColumn}) AS week, count(*) AS rows FROM {table.Name} WHERE {table.TimeColumn} < $closed GROUP BY week
            ) w LEFT JOIN compaction c ON c.table_name = '{table.Name}' AND c.week_start = w.week
            WHERE c.week_start IS NULL OR w.rows > c.rows * 1.1
            ORDER BY w.week
            """;
        command.Parameters.Add(new DuckDBParameter("closed", closedBefore));
        using var reader = command.ExecuteReader();
        var weeks = new List<DateTime>();
        while (reader.Read()) weeks.Add(reader.GetDateTime(0));
        return weeks;
    }

    /// <summary>Monday 00:00 UTC of the week holding <paramref name="time"/>, as DuckDB's date_trunc('week') gives it.</summary>
    static DateTime WeekStart(DateTime time) => time.Date.AddDays(-(((int)time.DayOfWeek + 6) % 7));
}
