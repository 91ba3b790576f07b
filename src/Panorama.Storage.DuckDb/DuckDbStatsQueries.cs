using DuckDB.NET.Data;
using Panorama.Core.Reports;

namespace Panorama.Storage.DuckDb;

/// <summary>Report queries. Visits are derived here, at query time, from the events (README, "What the numbers mean").</summary>
public sealed partial class DuckDbEventStore : IStatsQueries
{
    // Visits are cut from each visitor's pageviews and custom events (engagement events never start or
    // extend a visit): a gap of 30 minutes or more starts a new visit, and a visit longer than 24 hours
    // is cut into 24-hour pieces. Events up to 48 hours before the period are read so that a visit
    // running into the period is not mistaken for one starting in it.
    const string VisitsCte = """
        scoped AS (
            SELECT ts, seq, visitor_id, name, pathname, interactive, source, channel, referrer,
                   utm_source, utm_medium, utm_campaign, country, browser, os, device
            FROM events
            WHERE site_id = $site AND name <> 'engagement'
              AND ts >= $from - INTERVAL 48 HOUR AND ts < $to + INTERVAL 24 HOUR
        ),
        marked AS (
            SELECT *, CASE WHEN ts - lag(ts) OVER (PARTITION BY visitor_id ORDER BY ts, seq) < INTERVAL 30 MINUTE THEN 0 ELSE 1 END AS starts_run
            FROM scoped
        ),
        runs AS (
            SELECT *, sum(starts_run) OVER (PARTITION BY visitor_id ORDER BY ts, seq ROWS UNBOUNDED PRECEDING) AS run
            FROM marked
        ),
        pieces AS (
            SELECT *, date_diff('microsecond', min(ts) OVER (PARTITION BY visitor_id, run), ts) // 86400000000 AS piece
            FROM runs
        ),
        visits AS (
            SELECT visitor_id,
                   min(ts) AS started,
                   date_diff('second', min(ts), max(ts)) AS duration,
                   count(*) FILTER (WHERE name = 'pageview') AS pageviews,
                   CASE WHEN count(*) FILTER (WHERE name = 'pageview') <= 1 AND NOT bool_or(interactive) THEN 1 ELSE 0 END AS bounce,
                   arg_min(pathname, (ts, seq)) FILTER (WHERE name = 'pageview') AS entry_page,
                   arg_max(pathname, (ts, seq)) FILTER (WHERE name = 'pageview') AS exit_page,
                   arg_min(source, (ts, seq)) AS source,
                   arg_min(channel, (ts, seq)) AS channel,
                   arg_min(referrer, (ts, seq)) AS referrer,
                   arg_min(utm_source, (ts, seq)) AS utm_source,
                   arg_min(utm_medium, (ts, seq)) AS utm_medium,
                   arg_min(utm_campaign, (ts, seq)) AS utm_campaign,
                   arg_min(country, (ts, seq)) AS country,
                   arg_min(browser, (ts, seq)) AS browser,
                   arg_min(os, (ts, seq)) AS os,
                   arg_min(device, (ts, seq)) AS device
            FROM pieces
            GROUP BY visitor_id, run, piece
        ),
        period_visits AS (
            SELECT * FROM visits WHERE started >= $from AND started < $to
        )
        """;

    public Task<Summary> SummaryAsync(int siteId, DateRange range, CancellationToken cancellationToken)
    {
        var sql = $"""
            WITH {VisitsCte},
            period_events AS (
                SELECT visitor_id, name FROM events
                WHERE site_id = $site AND name <> 'engagement' AND ts >= $from AND ts < $to
            )
            SELECT
                (SELECT count(DISTINCT visitor_id) FROM period_events),
                (SELECT count(*) FROM period_visits),
                (SELECT count(*) FILTER (WHERE name = 'pageview') FROM period_events),
                (SELECT coalesce(round(avg(pageviews), 2), 0) FROM period_visits),
                (SELECT coalesce(round(100 * avg(bounce)), 0) FROM period_visits),
                (SELECT coalesce(round(avg(duration)), 0) FROM period_visits),
                (SELECT count(*) FROM period_events)
            """;
        using var connection = Open();
        using var command = Command(connection, sql, siteId, range);
        using var reader = command.ExecuteReader();
        reader.Read();
        return Task.FromResult(new Summary(
            Visitors: reader.GetInt64(0),
            Visits: reader.GetInt64(1),
            Pageviews: reader.GetInt64(2),
            ViewsPerVisit: Convert.ToDouble(reader.GetValue(3)),
            BounceRate: Convert.ToDouble(reader.GetValue(4)),
            VisitDuration: Convert.ToInt64(reader.GetValue(5)),
            Events: reader.GetInt64(6)));
    }

    public Task<IReadOnlyList<BreakdownRow>> BreakdownAsync(int siteId, DateRange range, Breakdown breakdown, int limit, CancellationToken cancellationToken)
    {
        if (breakdown == Breakdown.EventName) return EventNamesAsync(siteId, range, limit);
        var pageLevel = breakdown == Breakdown.Page;
        var sql = pageLevel
            ? """
              SELECT pathname, count(DISTINCT visitor_id) AS visitors, count(*) AS pageviews
              FROM events
              WHERE site_id = $site AND name = 'pageview' AND ts >= $from AND ts < $to
              GROUP BY pathname
              ORDER BY visitors DESC, pageviews DESC, pathname
              LIMIT $limit
              """
            : $"""
              WITH {VisitsCte}
              SELECT {VisitColumn(breakdown)} AS value, count(DISTINCT visitor_id) AS visitors, count(*) AS visits,
                     round(100 * avg(bounce)) AS bounce_rate, round(avg(duration)) AS visit_duration
              FROM period_visits
              WHERE {VisitColumn(breakdown)} IS NOT NULL AND {VisitColumn(breakdown)} <> ''
              GROUP BY value
              ORDER BY visitors DESC, visits DESC, value
              LIMIT $limit
              """;
        using var connection = Open();
        using var command = Command(connection, sql, siteId, range);
        command.Parameters.Add(new DuckDBParameter("limit", limit));
        using var reader = command.ExecuteReader();
        var rows = new List<BreakdownRow>();
        while (reader.Read())
        {
            rows.Add(pageLevel
                ? new BreakdownRow(reader.GetString(0), reader.GetInt64(1), null, reader.GetInt64(2), null, null)
                : new BreakdownRow(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), null,
                    Convert.ToDouble(reader.GetValue(3)), Convert.ToInt64(reader.GetValue(4))));
        }
        return Task.FromResult<IReadOnlyList<BreakdownRow>>(rows);
    }

    Task<IReadOnlyList<BreakdownRow>> EventNamesAsync(int siteId, DateRange range, int limit)
    {
        const string sql = """
            SELECT name, count(DISTINCT visitor_id) AS visitors, count(*) AS events
            FROM events
            WHERE site_id = $site AND name <> 'engagement' AND ts >= $from AND ts < $to
            GROUP BY name
            ORDER BY visitors DESC, events DESC, name
            LIMIT $limit
            """;
        using var connection = Open();
        using var command = Command(connection, sql, siteId, range);
        command.Parameters.Add(new DuckDBParameter("limit", limit));
        using var reader = command.ExecuteReader();
        var rows = new List<BreakdownRow>();
        while (reader.Read()) rows.Add(new BreakdownRow(reader.GetString(0), reader.GetInt64(1), null, null, null, null, reader.GetInt64(2)));
        return Task.FromResult<IReadOnlyList<BreakdownRow>>(rows);
    }

    // Identifiers come from this fixed map, never from input.
    static string VisitColumn(Breakdown breakdown) => breakdown switch
    {
        Breakdown.EntryPage => "entry_page",
        Breakdown.ExitPage => "exit_page",
        Breakdown.Source => "source",
        Breakdown.Channel => "channel",
        Breakdown.Referrer => "referrer",
        Breakdown.UtmSource => "utm_source",
        Breakdown.UtmMedium => "utm_medium",
        Breakdown.UtmCampaign => "utm_campaign",
        Breakdown.Country => "country",
        Breakdown.Browser => "browser",
        Breakdown.OperatingSystem => "os",
        Breakdown.Device => "device",
        _ => throw new ArgumentOutOfRangeException(nameof(breakdown), breakdown, "Not a visit dimension."),
    };

    static DuckDBCommand Command(DuckDBConnection connection, string sql, int siteId, DateRange range)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.Add(new DuckDBParameter("site", siteId));
        command.Parameters.Add(new DuckDBParameter("from", range.From));
        command.Parameters.Add(new DuckDBParameter("to", range.To));
        return command;
    }
}
