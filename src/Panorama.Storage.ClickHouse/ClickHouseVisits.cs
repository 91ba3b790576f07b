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

    /// <summary>One row per visit of the site that overlaps the window around the range (24 hours each side).</summary>
    string VisitsSql(int siteId, DateRange range)
    {
        var from = ClickHouseSql.Micros(range.From);
        var to = ClickHouseSql.Micros(range.To);
        const long day = 86_400_000_000;
        // No alias reuses a column's name: in ClickHouse an alias shadows the column everywhere in the query, WHERE included.
        return $"""
            SELECT visitor_id, key, min(t) AS v_started, max(t) AS v_ended,
                   intDiv(max(t), 1000000) - intDiv(min(t), 1000000) AS v_duration,
                   sum(pageview) AS v_pageviews,
                   if(sum(pageview) <= 1 AND max(interactive) = 0, 1, 0) AS v_bounce
            FROM (
                SELECT visitor_id, t, pageview, interactive, key
                FROM (
                    SELECT visitor_id,
                           arraySort(groupArray((ts_us, node, seq, name = 'pageview', interactive))) AS ev,
                           arrayMap(x -> x.1, ev) AS times,
                           arrayCumSum(arrayMap(i -> if(i = 1 OR times[i] - times[i - 1] >= 1800000000, 1, 0), arrayEnumerate(times))) AS runs,
                           arrayMap(i -> runs[i] * 1000 + intDiv(times[i] - times[indexOf(runs, runs[i])], {day}), arrayEnumerate(times)) AS keys
                    FROM {options.EventsTable}
                    WHERE site_id = {siteId} AND name != 'engagement'
                      AND ts >= {ClickHouseSql.DateTime(range.From.AddDays(-2))} AND ts < {ClickHouseSql.DateTime(range.To.AddDays(2))}
                      AND ts_us >= {from - 2 * day} AND ts_us < {to + day}
                    GROUP BY visitor_id
                )
                ARRAY JOIN times AS t, arrayMap(x -> x.4, ev) AS pageview, arrayMap(x -> x.5, ev) AS interactive, keys AS key
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
}
