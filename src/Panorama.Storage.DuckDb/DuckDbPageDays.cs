using DuckDB.NET.Data;

namespace Panorama.Storage.DuckDb;

/// <summary>
/// The page days (schema in <see cref="DuckDbSchema.CreatePageDays"/>): a page's visitors are an exact distinct count
/// of (page, visitor) pairs, which over 30 days of a busy site is a hash table of ~700 k pairs per query. Since a day
/// is over, its pairs are stored once with the previous day each pair was seen, so whole days need no distinct.
/// Built hourly up to the last UTC midnight an hour ago; a visit pass that meets events before that horizon moves it
/// back to their day (their days are then read from the events until the next build), so the numbers stay exact.
/// </summary>
public sealed partial class DuckDbEventStore
{
    /// <summary>
    /// Extends the page days to the UTC midnight at least an hour before <paramref name="now"/>, after a visit pass
    /// (the days take only events the visits cover); returns how many rows it added.
    /// </summary>
    public long BuildPageDays(DateTime now)
    {
        var target = now.AddHours(-1).Date;
        using var _ = refreshing.EnterScope();
        RefreshVisits(visitsWriter);
        using var transaction = visitsWriter.BeginTransaction();
        using var command = visitsWriter.CreateCommand();
        command.Transaction = transaction;
        // Temp tables, not CTEs: DuckDB then knows how few rows are new and builds its hash tables on them.
        command.CommandText = """
            CREATE OR REPLACE TEMP TABLE new_pairs AS
                SELECT site_id, ts::DATE AS day, pathname, visitor_id,
                       count(*) FILTER (WHERE name = 'pageview') AS pageviews, count(*) AS events
                FROM events
                WHERE ts >= (SELECT horizon FROM page_days_progress) AND ts < $target
                  AND seq <= (SELECT sequence FROM visits_progress) AND name <> 'engagement'
                GROUP BY ALL;
            CREATE OR REPLACE TEMP TABLE seen_pairs AS
                SELECT site_id, visitor_id, pathname, max(day) AS last_day FROM page_days
                WHERE visitor_id IN (SELECT visitor_id FROM new_pairs)
                GROUP BY ALL;
            INSERT INTO page_days
                SELECT f.site_id, f.day, f.pathname, f.visitor_id, f.pageviews, f.events,
                       coalesce(lag(f.day) OVER (PARTITION BY f.site_id, f.visitor_id, f.pathname ORDER BY f.day), s.last_day)
                FROM new_pairs f LEFT JOIN seen_pairs s ON s.site_id = f.site_id AND s.visitor_id = f.visitor_id AND s.pathname = f.pathname
                ORDER BY f.site_id, f.day;
            UPDATE page_days_progress SET horizon = $target WHERE horizon < $target;
            """;
        command.Parameters.Add(new DuckDBParameter("target", target));
        command.ExecuteNonQuery();
        using var count = visitsWriter.CreateCommand();
        count.Transaction = transaction;
        count.CommandText = "SELECT count(*) FROM new_pairs";
        var added = Convert.ToInt64(count.ExecuteScalar());
        transaction.Commit();
        Execute(visitsWriter, "DROP TABLE IF EXISTS new_pairs; DROP TABLE IF EXISTS seen_pairs");
        return added;
    }

    /// <summary>The UTC midnight before which the page days hold every event.</summary>
    internal DateTime PageDaysHorizon()
    {
        using var connection = Open();
        return PageDaysHorizon(connection);
    }

    /// <summary>The UTC midnight before which the page days hold every event, as of the open transaction.</summary>
    static DateTime PageDaysHorizon(DuckDBConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT horizon FROM page_days_progress";
        return (DateTime)command.ExecuteScalar()!;
    }
}
