using DuckDB.NET.Data;

namespace Panorama.Storage.DuckDb;

/// <summary>
/// Keeps the visits table in step with the events. After each append, the visits of every (site, visitor)
/// the new events touch are cut again from that visitor's events around them: a gap of 30 minutes or more
/// starts a visit, a visit longer than 24 hours is cut into 24-hour pieces from its first event, engagement
/// events are left out. Because no visit lasts 24 hours, the visits that can change start within 24 hours of
/// the new events, and cutting them needs the events up to 48 hours around them.
/// </summary>
public sealed partial class DuckDbEventStore
{
    static readonly string RefreshSql = $"""
        CREATE OR REPLACE TEMP TABLE changed AS
            SELECT min(ts) - INTERVAL 24 HOUR AS low, max(ts) + INTERVAL 24 HOUR AS high FROM events WHERE seq > $done;
        CREATE OR REPLACE TEMP TABLE affected AS
            SELECT DISTINCT site_id, visitor_id FROM events WHERE seq > $done;
        DELETE FROM visits USING affected
            WHERE visits.site_id = affected.site_id AND visits.visitor_id = affected.visitor_id
              AND visits.v_started >= (SELECT low FROM changed) AND visits.v_started < (SELECT high FROM changed);
        INSERT INTO visits
        WITH base AS (
            SELECT e.site_id, e.visitor_id, e.ts, e.seq, e.name, e.pathname, e.interactive, {string.Join(", ", DuckDbSchema.VisitAttributes.Select(c => "e." + c))}
            FROM events e SEMI JOIN affected a ON e.site_id = a.site_id AND e.visitor_id = a.visitor_id
            WHERE e.name <> 'engagement'
              AND e.ts >= (SELECT low FROM changed) - INTERVAL 24 HOUR AND e.ts < (SELECT high FROM changed) + INTERVAL 24 HOUR
        ),
        -- The windows see only the narrow key columns: carrying the 17 attribute strings through three sorts was most of
        -- a pass's cost. Attributes join back by seq (unique per event).
        marked AS (
            SELECT site_id, visitor_id, ts, seq,
                   CASE WHEN ts - lag(ts) OVER w < INTERVAL 30 MINUTE THEN 0 ELSE 1 END AS starts_run,
                   row_number() OVER w AS ord
            FROM base
            WINDOW w AS (PARTITION BY site_id, visitor_id ORDER BY ts, seq)
        ),
        runs AS (
            SELECT *, sum(starts_run) OVER (PARTITION BY site_id, visitor_id ORDER BY ts, seq ROWS UNBOUNDED PRECEDING) AS run
            FROM marked
        ),
        cut AS (
            SELECT seq, ord, run, date_diff('microsecond', min(ts) OVER (PARTITION BY site_id, visitor_id, run), ts) // 86400000000 AS piece
            FROM runs
        ),
        computed AS (
            SELECT site_id, visitor_id,
                   min(ts) AS v_started,
                   max(ts) AS v_ended,
                   date_diff('second', min(ts), max(ts)) AS v_duration,
                   count(*) FILTER (WHERE name = 'pageview') AS v_pageviews,
                   CASE WHEN count(*) FILTER (WHERE name = 'pageview') <= 1 AND NOT bool_or(interactive) THEN 1 ELSE 0 END AS v_bounce,
                   arg_min(pathname, ord) FILTER (WHERE name = 'pageview') AS v_entry_page,
                   arg_max(pathname, ord) FILTER (WHERE name = 'pageview') AS v_exit_page,
                   {string.Join(", ", DuckDbSchema.VisitAttributes.Select(c => $"arg_min({c}, ord) AS v_{c}"))}
            FROM base JOIN cut USING (seq)
            GROUP BY site_id, visitor_id, run, piece
        )
        SELECT * FROM computed WHERE v_started >= (SELECT low FROM changed) AND v_started < (SELECT high FROM changed);
        UPDATE visits_progress SET sequence = (SELECT coalesce(max(seq), $done) FROM events WHERE seq > $done);
        """;

    readonly Lock refreshing = new();

    /// <summary>
    /// Brings the visits up to date with every event appended so far, in one transaction on a connection of its
    /// own (appends go on meanwhile); returns the last event sequence the visits now cover.
    /// </summary>
    public Task<long> RefreshVisitsAsync(CancellationToken cancellationToken)
    {
        using var _ = refreshing.EnterScope();
        return Task.FromResult(RefreshVisits(visitsWriter));
    }

    long RefreshVisits(DuckDBConnection connection)
    {
        long done;
        using (var progress = connection.CreateCommand())
        {
            progress.CommandText = "SELECT sequence FROM visits_progress";
            done = Convert.ToInt64(progress.ExecuteScalar());
        }
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = RefreshSql;
        command.Parameters.Add(new DuckDBParameter("done", done));
        command.ExecuteNonQuery();
        transaction.Commit();
        using var covered = connection.CreateCommand();
        covered.CommandText = "SELECT sequence FROM visits_progress";
        return Convert.ToInt64(covered.ExecuteScalar());
    }
}
