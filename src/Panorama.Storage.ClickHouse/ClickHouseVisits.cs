using System.Globalization;
using Panorama.Core.Reports;

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

    public async Task<Summary> SummaryAsync(int siteId, DateRange range, CancellationToken cancellationToken)
    {
        var from = ClickHouseSql.Micros(range.From);
        var to = ClickHouseSql.Micros(range.To);
        var events = await shards[0].QueryAsync($"""
            SELECT uniqExact(visitor_id), countIf(name = 'pageview'), count()
            FROM {options.EventsTable}
            WHERE site_id = {siteId} AND name != 'engagement'
              AND ts >= {ClickHouseSql.DateTime(range.From.AddSeconds(-1))} AND ts < {ClickHouseSql.DateTime(range.To.AddSeconds(1))}
              AND ts_us >= {from} AND ts_us < {to}
            """, cancellationToken);
        // Sums and counts come back whole; the rounding (half away from zero) is done here, as the embedded store does it.
        var visits = await shards[0].QueryAsync($"""
            SELECT count(), sum(v_pageviews), sum(v_bounce), sum(v_duration)
            FROM ({VisitsSql(siteId, range)})
            WHERE v_started >= {from} AND v_started < {to}
            """, cancellationToken);
        long Number(string text) => long.Parse(text, CultureInfo.InvariantCulture);
        var (count, pageviews, bounces, duration) = (Number(visits[0][0]), Number(visits[0][1]), Number(visits[0][2]), Number(visits[0][3]));
        double Round(double value, int digits) => Math.Round(value, digits, MidpointRounding.AwayFromZero);
        return new Summary(Number(events[0][0]), count, Number(events[0][1]), Number(events[0][2]),
            count == 0 ? 0 : Round((double)pageviews / count, 2),
            count == 0 ? 0 : Round(100.0 * bounces / count, 0),
            count == 0 ? 0 : (long)Round((double)duration / count, 0));
    }
}
