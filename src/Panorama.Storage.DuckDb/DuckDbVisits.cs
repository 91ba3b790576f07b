using DuckDB.NET.Data;

namespace Panorama.Storage.DuckDb;

/// <summary>
/// Keeps the visits table in step with the events. After each append, the visits of every (site, visitor)
/// the new events touch are cut again from that visitor's events around them: a gap of 30 minutes or more
/// starts a visit, a visit longer than 24 hours is cut into 24-hour pieces from its first event, engagement
/// events are left out; a visit's attributes (source, UTM tags, location, device…) are all its first event's. Because no visit lasts 24 hours, the visits that can change start within 24 hours of
/// the new events, and cutting them needs the events up to 48 hours around them.
/// </summary>
public sealed partial class DuckDbEventStore
{
    static readonly string RefreshSql = $"""
        -- A visit going on across midnight UTC keeps yesterday's visitor (README, "What the numbers mean"): for each
        -- person-day the new events touch (in either id; midnight_pairs links the two), when its first event comes within
        -- 30 minutes after yesterday's id's last one, the run of the day's events from it (gaps under 30 minutes) takes
        -- yesterday's id. Events keep their own day's id until then, so arrival order does not matter.
        CREATE OR REPLACE TEMP TABLE rekey AS
            WITH touched AS (SELECT DISTINCT site_id, visitor_id FROM events WHERE seq > $done),
            pairs AS (
                SELECT DISTINCT p.site_id, p.own_id, p.prev_id, p.day::TIMESTAMP AS midnight FROM midnight_pairs p
                WHERE p.own_id IN (SELECT visitor_id FROM touched t WHERE t.site_id = p.site_id)
                   OR p.prev_id IN (SELECT visitor_id FROM touched t WHERE t.site_id = p.site_id)
            ),
            -- Equality joins on each id (an OR would compare every pair with every event of the site); the bounds on ts
            -- let DuckDB skip the row groups outside the pairs' days.
            nearby AS (
                SELECT site_id, visitor_id, ts FROM events
                WHERE name <> 'engagement'
                  AND ts >= (SELECT min(midnight) FROM pairs) - INTERVAL 30 MINUTE AND ts < (SELECT max(midnight) FROM pairs) + INTERVAL 1 DAY
            ),
            person AS (
                SELECT p.site_id, p.own_id, p.prev_id, p.midnight, e.ts
                FROM pairs p JOIN nearby e ON e.site_id = p.site_id AND e.visitor_id = p.own_id
                WHERE e.ts >= p.midnight AND e.ts < p.midnight + INTERVAL 1 DAY
                UNION ALL
                SELECT p.site_id, p.own_id, p.prev_id, p.midnight, e.ts
                FROM pairs p JOIN nearby e ON e.site_id = p.site_id AND e.visitor_id = p.prev_id
                WHERE e.ts >= p.midnight - INTERVAL 30 MINUTE AND e.ts < p.midnight + INTERVAL 1 DAY
            ),
            gaps AS (
                SELECT *, lead(ts) OVER (PARTITION BY site_id, own_id ORDER BY ts) AS next_ts FROM person
            ),
            runs AS (
                SELECT site_id, own_id, prev_id, midnight,
                       min(ts) FILTER (WHERE ts >= midnight AND (next_ts IS NULL OR next_ts - ts >= INTERVAL 30 MINUTE)) AS run_end
                FROM gaps
                GROUP BY ALL
                HAVING min(ts) FILTER (WHERE ts >= midnight) - max(ts) FILTER (WHERE ts < midnight) < INTERVAL 30 MINUTE
            )
            -- Where the person's next visit of the day starts (the first event after the run), if it does.
            SELECT r.*, (SELECT min(g.ts) FROM gaps g WHERE g.site_id = r.site_id AND g.own_id = r.own_id AND g.ts > r.run_end) AS next_start
            FROM runs r;
        -- An engagement event comes when its page is hidden, after the page's last event, maybe after the run's: it goes
        -- with the run unless the person's next visit started before it.
        UPDATE events SET visitor_id = r.prev_id FROM rekey r
            WHERE events.site_id = r.site_id AND events.visitor_id = r.own_id AND events.ts >= r.midnight
              AND (events.ts <= r.run_end OR events.name = 'engagement' AND (r.next_start IS NULL OR events.ts < r.next_start));
        CREATE OR REPLACE TEMP TABLE changed AS
            SELECT least(min(ts), (SELECT min(midnight) FROM rekey)) - INTERVAL 24 HOUR AS low,
                   greatest(max(ts), (SELECT max(run_end) FROM rekey)) + INTERVAL 24 HOUR AS high,
                   least(min(ts) FILTER (WHERE name <> 'engagement'), (SELECT min(midnight) FROM rekey)) AS earliest
            FROM events WHERE seq > $done;
        CREATE OR REPLACE TEMP TABLE affected AS
            SELECT site_id, visitor_id FROM events WHERE seq > $done
            UNION SELECT site_id, own_id FROM rekey
            UNION SELECT site_id, prev_id FROM rekey;
        DELETE FROM visits USING affected
            WHERE visits.site_id = affected.site_id AND visits.visitor_id = affected.visitor_id
              AND visits.v_started >= (SELECT low FROM changed) AND visits.v_started < (SELECT high FROM changed);
        INSERT INTO visits
        WITH base AS (
            SELECT e.site_id, e.visitor_id, e.ts, e.seq, e.name = 'pageview' AS is_pageview, e.interactive, e.pathname
            FROM events e SEMI JOIN affected a ON e.site_id = a.site_id AND e.visitor_id = a.visitor_id
            WHERE e.name <> 'engagement'
              AND e.ts >= (SELECT low FROM changed) - INTERVAL 24 HOUR AND e.ts < (SELECT high FROM changed) + INTERVAL 24 HOUR
        ),
        -- Only the narrow key columns go through the windows and the grouping (carrying the 17 attribute strings through
        -- them was most of a pass's cost). Each visit then reads its first event's attributes by sequence number and
        -- time, which lets DuckDB skip the row groups outside their range.
        marked AS (
            SELECT site_id, visitor_id, ts, seq, is_pageview, interactive, pathname,
                   CASE WHEN ts - lag(ts) OVER w < INTERVAL 30 MINUTE THEN 0 ELSE 1 END AS starts_run,
                   row_number() OVER w AS ord
            FROM base
            WINDOW w AS (PARTITION BY site_id, visitor_id ORDER BY ts, seq)
        ),
        -- The run's start comes from the same window as its number (one sort), not from a window over the run.
        runs AS (
            SELECT *,
                   sum(starts_run) OVER r AS run,
                   max(CASE WHEN starts_run = 1 THEN ts END) OVER r AS run_started
            FROM marked
            WINDOW r AS (PARTITION BY site_id, visitor_id ORDER BY ts, seq ROWS UNBOUNDED PRECEDING)
        ),
        cut AS (
            SELECT *, date_diff('microsecond', run_started, ts) // 86400000000 AS piece
            FROM runs
        ),
        computed AS (
            SELECT site_id, visitor_id,
                   min(ts) AS v_started,
                   max(ts) AS v_ended,
                   date_diff('second', min(ts), max(ts)) AS v_duration,
                   count(*) FILTER (WHERE is_pageview) AS v_pageviews,
                   CASE WHEN count(*) FILTER (WHERE is_pageview) <= 1 AND NOT bool_or(interactive) THEN 1 ELSE 0 END AS v_bounce,
                   arg_min(pathname, ord) FILTER (WHERE is_pageview) AS v_entry_page,
                   arg_max(pathname, ord) FILTER (WHERE is_pageview) AS v_exit_page,
                   arg_min(seq, ord) AS first_seq
            FROM cut
            GROUP BY site_id, visitor_id, run, piece
            HAVING min(ts) >= (SELECT low FROM changed) AND min(ts) < (SELECT high FROM changed)
        )
        SELECT c.site_id, c.visitor_id, c.v_started, c.v_ended, c.v_duration, c.v_pageviews, c.v_bounce, c.v_entry_page, c.v_exit_page,
               {string.Join(", ", DuckDbSchema.VisitAttributes.Select(c => "f." + c))}
        FROM computed c JOIN events f ON f.seq = c.first_seq AND f.ts = c.v_started;
        -- Events before the page days' horizon (backfills, late batches): those days are counted from the events again
        -- until the next build (DuckDbPageDays.cs).
        UPDATE page_days_progress SET horizon = (SELECT earliest FROM changed)::DATE WHERE horizon > (SELECT earliest FROM changed);
        DELETE FROM page_days WHERE day >= (SELECT horizon FROM page_days_progress)::DATE;
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
