using System.Globalization;
using Panorama.Core.Reports;
using Panorama.Core.Reports.Query;

namespace Panorama.Storage.ClickHouse;

/// <summary>
/// Visits cut from the events when a report asks, per visitor, with the arrays 18.16 has (no window functions): a
/// visitor's events in time order, a new visit at a gap of 30 minutes or more, a visit longer than 24 hours cut into
/// 24-hour pieces from its first event, engagement events left out — the same rules as the embedded store's visits
/// table. As a visitor's events all sit on one shard, the numbers are exact however many nodes took the events.
/// </summary>
public sealed partial class ClickHouseEventStore
{
    /// <summary>Totals of a period: visitors, visits, pageviews, events, views per visit, bounce rate and visit duration.</summary>
    public sealed record Summary(long Visitors, long Visits, long Pageviews, long Events, double ViewsPerVisit, double BounceRate, long VisitDuration);

    /// <summary>Visit attributes, each taken from a visit's first event (the embedded store's v_* columns).</summary>
    public static readonly string[] VisitAttributes =
    [
        "source", "channel", "referrer", "utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term",
        "device", "browser", "browser_version", "os", "os_version", "country", "region", "city", "screen",
    ];

    /// <summary>Attributes that may be missing: a visit takes the first one known among its events, as the embedded store does.</summary>
    static readonly HashSet<string> Optional =
        ["referrer", "utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term", "browser_version", "os_version", "country", "region", "city", "screen"];

    /// <summary>
    /// One row per visit of the site that overlaps the window around the range (24 hours each side), with
    /// <c>v_attribute</c>: the named attribute of its first event, when one is asked for.
    /// </summary>
    string VisitsSql(int siteId, DateRange range, string? attribute = null)
    {
        if (attribute is not null && !VisitAttributes.Contains(attribute)) throw new ArgumentException($"'{attribute}' is not a visit attribute.");
        var from = ClickHouseSql.Micros(range.From);
        var to = ClickHouseSql.Micros(range.To);
        const long day = 86_400_000_000;
        // No alias reuses a column's name: in ClickHouse an alias shadows the column everywhere in the query, WHERE included.
        return $"""
            SELECT visitor_id, key, min(t) AS v_started, max(t) AS v_ended,
                   intDiv(max(t), 1000000) - intDiv(min(t), 1000000) AS v_duration,
                   sum(pageview) AS v_pageviews,
                   if(sum(pageview) <= 1 AND max(interactive) = 0, 1, 0) AS v_bounce
                   {(attribute is null ? "" : Optional.Contains(attribute) ? ", argMinIf(value, t, value != '') AS v_attribute" : ", argMin(value, t) AS v_attribute")}
            FROM (
                SELECT visitor_id, t, pageview, interactive, key{(attribute is null ? "" : ", value")}
                FROM (
                    SELECT visitor_id,
                           arraySort(groupArray((ts_us, node, seq, name = 'pageview', interactive, {attribute ?? "''"}))) AS ev,
                           arrayMap(x -> x.1, ev) AS times,
                           arrayCumSum(arrayMap(i -> if(i = 1 OR times[i] - times[i - 1] >= 1800000000, 1, 0), arrayEnumerate(times))) AS runs,
                           arrayMap(i -> runs[i] * 1000 + intDiv(times[i] - times[indexOf(runs, runs[i])], {day}), arrayEnumerate(times)) AS keys
                    FROM {options.EventsTable}
                    WHERE site_id = {siteId} AND name != 'engagement'
                      AND ts >= {ClickHouseSql.DateTime(range.From.AddDays(-2))} AND ts < {ClickHouseSql.DateTime(range.To.AddDays(2))}
                      AND ts_us >= {from - 2 * day} AND ts_us < {to + day}
                    GROUP BY visitor_id
                )
                ARRAY JOIN times AS t, arrayMap(x -> x.4, ev) AS pageview, arrayMap(x -> x.5, ev) AS interactive, keys AS key{(attribute is null ? "" : ", arrayMap(x -> x.6, ev) AS value")}
            )
            GROUP BY visitor_id, key
            """;
    }

    public async Task<Summary> SummaryAsync(int siteId, DateRange range, CancellationToken cancellationToken) =>
        (await TotalsAsync(siteId, range, null, TimeZoneInfo.Utc, cancellationToken)).FirstOrDefault().Totals ?? new Summary(0, 0, 0, 0, 0, 0, 0);

    /// <summary>The label of the bucket (local to the zone) a microsecond timestamp falls in, as the embedded store labels it.</summary>
    static string Bucket(string micros, TimeGrain? grain, TimeZoneInfo zone)
    {
        var time = $"toDateTime(intDiv({micros}, 1000000))";
        var tz = ClickHouseSql.String(zone.Id);
        return grain switch
        {
            null => "''",
            TimeGrain.Hour => $"toString(toStartOfHour({time}, {tz}), {tz})",
            TimeGrain.Day => $"toString(toDate({time}, {tz}))",
            TimeGrain.Week => $"toString(toMonday({time}, {tz}))",
            _ => $"toString(toStartOfMonth({time}, {tz}))",
        };
    }

    /// <summary>
    /// Totals of the period, or per time bucket: event counts from the events in the range, visit figures from the
    /// visits that start in it (a bucket holds the visits that start in it), as the embedded store reports them.
    /// </summary>
    public async Task<IReadOnlyList<(string Bucket, Summary Totals)>> TotalsAsync(int siteId, DateRange range, TimeGrain? grain, TimeZoneInfo zone,
        CancellationToken cancellationToken)
    {
        var from = ClickHouseSql.Micros(range.From);
        var to = ClickHouseSql.Micros(range.To);
        var events = await shards[0].QueryAsync($"""
            SELECT {Bucket("ts_us", grain, zone)} AS bucket, uniqExact(visitor_id), countIf(name = 'pageview'), count()
            FROM {options.EventsTable}
            WHERE site_id = {siteId} AND name != 'engagement'
              AND ts >= {ClickHouseSql.DateTime(range.From.AddSeconds(-1))} AND ts < {ClickHouseSql.DateTime(range.To.AddSeconds(1))}
              AND ts_us >= {from} AND ts_us < {to}
            GROUP BY bucket
            """, cancellationToken);
        // Sums and counts come back whole; the rounding (half away from zero) is done here, as the embedded store does it.
        var visits = await shards[0].QueryAsync($"""
            SELECT {Bucket("v_started", grain, zone)} AS bucket, count(), sum(v_pageviews), sum(v_bounce), sum(v_duration)
            FROM ({VisitsSql(siteId, range)})
            WHERE v_started >= {from} AND v_started < {to}
            GROUP BY bucket
            """, cancellationToken);
        static long Number(string text) => long.Parse(text, CultureInfo.InvariantCulture);
        static double Round(double value, int digits) => Math.Round(value, digits, MidpointRounding.AwayFromZero);
        var byEvents = events.ToDictionary(r => r[0], r => (Visitors: Number(r[1]), Pageviews: Number(r[2]), Events: Number(r[3])));
        var byVisits = visits.ToDictionary(r => r[0], r => (Count: Number(r[1]), Pageviews: Number(r[2]), Bounces: Number(r[3]), Duration: Number(r[4])));
        return byEvents.Keys.Union(byVisits.Keys).Order(StringComparer.Ordinal).Select(bucket =>
        {
            var e = byEvents.GetValueOrDefault(bucket);
            var v = byVisits.GetValueOrDefault(bucket);
            return (bucket, new Summary(e.Visitors, v.Count, e.Pageviews, e.Events,
                v.Count == 0 ? 0 : Round((double)v.Pageviews / v.Count, 2),
                v.Count == 0 ? 0 : Round(100.0 * v.Bounces / v.Count, 0),
                v.Count == 0 ? 0 : (long)Round((double)v.Duration / v.Count, 0)));
        }).Where(row => row.Item2.Visitors > 0 || row.Item2.Visits > 0).ToList();
    }

    /// <summary>
    /// Visit metrics by one visit attribute: visitors of the visits that overlap the range, and visits, views per visit,
    /// bounce rate and duration of those that start in it — the embedded store's breakdown from its visits table.
    /// </summary>
    public async Task<IReadOnlyList<(string Value, Summary Totals)>> VisitBreakdownAsync(int siteId, DateRange range, string attribute,
        CancellationToken cancellationToken)
    {
        var from = ClickHouseSql.Micros(range.From);
        var to = ClickHouseSql.Micros(range.To);
        const string started = "v_started >= {0}";
        var inRange = string.Format(CultureInfo.InvariantCulture, started, from);
        var rows = await shards[0].QueryAsync($"""
            SELECT if(v_attribute = '', '(none)', v_attribute) AS value, uniqExact(visitor_id), countIf({inRange}),
                   sumIf(v_pageviews, {inRange}), sumIf(v_bounce, {inRange}), sumIf(v_duration, {inRange})
            FROM ({VisitsSql(siteId, range, attribute)})
            WHERE v_started < {to} AND v_ended >= {from} AND v_started >= {from - 86_400_000_000}
            GROUP BY value
            """, cancellationToken);
        static long Number(string text) => long.Parse(text, CultureInfo.InvariantCulture);
        static double Round(double value, int digits) => Math.Round(value, digits, MidpointRounding.AwayFromZero);
        return rows.Select(r =>
        {
            var (visits, pageviews, bounces, duration) = (Number(r[2]), Number(r[3]), Number(r[4]), Number(r[5]));
            return (r[0], new Summary(Number(r[1]), visits, 0, 0,
                visits == 0 ? 0 : Round((double)pageviews / visits, 2),
                visits == 0 ? 0 : Round(100.0 * bounces / visits, 0),
                visits == 0 ? 0 : (long)Round((double)duration / visits, 0)));
        }).Where(row => row.Item2.Visitors > 0 || row.Item2.Visits > 0).OrderBy(row => row.Item1, StringComparer.Ordinal).ToList();
    }
}
