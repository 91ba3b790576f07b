using System.Globalization;
using Panorama.Core.Attribution;
using Panorama.Core.Goals;
using Panorama.Core.Reports;
using Panorama.Core.Reports.Query;
using Panorama.Storage.ClickHouse.Query;

namespace Panorama.Storage.ClickHouse;

/// <summary>The reports on ClickHouse, the same numbers as the embedded store's (one contract suite runs against both).</summary>
public sealed partial class ClickHouseEventStore : IQueryEngine
{
    Dictionary<string, string>? QuerySettings => options.QueryMaxMemoryBytes is { } bytes
        ? new() { ["max_memory_usage"] = bytes.ToString(CultureInfo.InvariantCulture) }
        : null;

    /// <summary>Settings for building visits: the report memory limit, and an INSERT into the Distributed table that returns once every shard has its rows.</summary>
    internal Dictionary<string, string> BuildSettings => new(QuerySettings ?? []) { ["insert_distributed_sync"] = "1" };

    internal Task<List<string[]>> ReportAsync(string sql, CancellationToken cancellationToken) => shards[0].QueryAsync(sql, cancellationToken, QuerySettings);

    MaterializedVisits? visits;

    /// <summary>The built visits reports read where they can.</summary>
    public MaterializedVisits Visits => visits ??= new MaterializedVisits(this);

    static long Long(string text) => long.Parse(text, CultureInfo.InvariantCulture);
    static double Round(double value, int digits) => Math.Round(value, digits, MidpointRounding.AwayFromZero);
    static DateTime FromMicros(long micros) => DateTime.UnixEpoch.AddTicks(micros * 10);

    public async Task<StoreResult> QueryAsync(StoreQuery query, CancellationToken cancellationToken)
    {
        var sql = new ClickHouseQuerySql(query, options.EventsTable);
        var source = sql.ReadsVisits ? await Visits.SourceAsync(query.SiteId, sql.VisitsFrom, sql.VisitsTo, cancellationToken) : null;
        var rows = await ReportAsync(sql.Build(source), cancellationToken);
        var n = query.Dimensions.Count;
        var result = new List<QueryRow>();
        foreach (var row in rows)
        {
            var (visits, visitPageviews, bounces, durations) = (Long(row[n + 1]), Long(row[n + 4]), Long(row[n + 5]), Long(row[n + 6]));
            var (revenue, revenueEvents, low, high) = (Long(row[n + 7]), Long(row[n + 8]), row[n + 9], row[n + 10]);
            // Amounts in different currencies are never added up: a mixed total is reported as unknown.
            var currency = revenueEvents > 0 && low.Length > 0 && low == high ? low : null;
            var total = revenue / 1_000_000m;
            var metrics = new Dictionary<Metric, object?>
            {
                [Metric.Visitors] = Long(row[n]),
                [Metric.Visits] = visits,
                [Metric.Pageviews] = Long(row[n + 2]),
                [Metric.Events] = Long(row[n + 3]),
                [Metric.ViewsPerVisit] = visits == 0 ? 0d : Round((double)visitPageviews / visits, 2),
                [Metric.BounceRate] = visits == 0 ? 0d : Round(100.0 * bounces / visits, 0),
                [Metric.VisitDuration] = visits == 0 ? 0L : (long)Round((double)durations / visits, 0),
                [Metric.TotalRevenue] = currency is null ? null : new Money(decimal.Round(total, 2), currency),
                [Metric.AverageRevenue] = currency is null ? null : new Money(decimal.Round(total / revenueEvents, 2), currency),
            };
            if ((long)metrics[Metric.Visitors]! == 0 && visits == 0) continue;
            result.Add(new QueryRow(row[..n], metrics));
        }
        IEnumerable<QueryRow> ordered = result;
        if (query.OrderBy is { Count: > 0 } order)
        {
            IOrderedEnumerable<QueryRow>? sorted = null;
            foreach (var (key, descending) in order)
            {
                var index = query.Dimensions.ToList().FindIndex(d => d.Name == key);
                var comparer = Comparer<object?>.Create((a, b) => CompareValues(a, b, descending));
                Func<QueryRow, object?> value = index >= 0 ? r => r.Dimensions[index] : MetricNames.TryParse(key, out var metric) && StoreQuery.StoreMetrics.Contains(metric)
                    ? r => r.Metrics[metric]
                    : throw new ArgumentException($"Cannot order by '{key}' in the store.");
                sorted = sorted is null
                    ? descending ? result.OrderByDescending(value, comparer) : result.OrderBy(value, comparer)
                    : descending ? sorted.ThenByDescending(value, comparer) : sorted.ThenBy(value, comparer);
            }
            // Ties break on the dimensions so pages are stable.
            for (var i = 0; i < n; i++)
            {
                var index = i;
                sorted = sorted!.ThenBy(r => r.Dimensions[index], StringComparer.Ordinal);
            }
            ordered = sorted!;
        }
        var page = ordered.Skip(query.Limit is null ? 0 : query.Offset);
        if (query.Limit is { } limit) page = page.Take(limit);
        return new StoreResult(page.ToList(), result.Count);
    }

    /// <summary>Values compare by kind; an unknown value (revenue in mixed currencies) goes last in either direction.</summary>
    static int CompareValues(object? a, object? b, bool descending) => (a, b) switch
    {
        (null, null) => 0,
        (null, _) => descending ? -1 : 1,
        (_, null) => descending ? 1 : -1,
        (string x, string y) => string.CompareOrdinal(x, y),
        (Money x, Money y) => x.Value.CompareTo(y.Value),
        (IComparable x, _) => x.CompareTo(Convert.ChangeType(b, x.GetType(), CultureInfo.InvariantCulture)),
        _ => 0,
    };

    public async Task<IReadOnlyDictionary<string, PageEngagement>> PageEngagementAsync(StoreQuery query, CancellationToken cancellationToken)
    {
        var filtered = new ClickHouseQuerySql(query, options.EventsTable, pageEngagement: true);
        var sql = filtered.PageEngagementFromEvents
            ? filtered.BuildPageEngagementFromEvents(TimeFilter(query.Range))
            : filtered.BuildPageEngagement(await Visits.SourceAsync(query.SiteId, filtered.VisitsFrom, filtered.VisitsTo, cancellationToken));
        var rows = await ReportAsync(sql, cancellationToken);
        return rows.ToDictionary(r => r[0], r => new PageEngagement(double.Parse(r[1], CultureInfo.InvariantCulture), Long(r[2]),
            double.Parse(r[3], CultureInfo.InvariantCulture), Long(r[4])), StringComparer.Ordinal);
    }

    /// <summary>Over the (page, visitor) rows <c>depth</c> and <c>engaged</c>: sum and count of each where present (<see cref="PageEngagement"/>).</summary>
    internal const string EngagementSums = "toFloat64(ifNull(sum(depth), 0)), count(depth), toFloat64(ifNull(sum(engaged), 0)), count(engaged)";

    public async Task<IReadOnlyList<long>> FunnelReachAsync(StoreQuery query, IReadOnlyList<FunnelStep> steps, CancellationToken cancellationToken)
    {
        var sql = new ClickHouseQuerySql(query, options.EventsTable);
        var visits = await Visits.SourceAsync(query.SiteId, sql.VisitsFrom, sql.VisitsTo, cancellationToken);
        var rows = await ReportAsync(sql.BuildFunnel(steps, visits), cancellationToken);
        return rows[0].Select(Long).ToArray();
    }

    public async Task<IReadOnlyList<ConversionPath>> ConversionPathsAsync(int siteId, DateRange range, Goal goal, TimeSpan lookback, CancellationToken cancellationToken)
    {
        var query = new StoreQuery { SiteId = siteId, TimeZone = TimeZoneInfo.Utc, Range = range, Metrics = [Metric.Events], Goals = [goal] };
        var visits = await Visits.SourceAsync(siteId, ClickHouseSql.Micros(range.From - lookback), ClickHouseSql.Micros(range.To.AddDays(1)), cancellationToken);
        var rows = await ReportAsync(new ClickHouseQuerySql(query, options.EventsTable).BuildConversionPaths(goal, lookback, visits), cancellationToken);
        return rows.Select(r => new ConversionPath(FromMicros(Long(r[0])), Long(r[1]) / 1_000_000m, Tuples(r[2]).Select(t => new Touch(FromMicros(Long(t[0])), t[1], t[2])).ToList())).ToList();
    }

    public async Task<IReadOnlyList<string>> PropertyKeysAsync(int siteId, DateRange range, CancellationToken cancellationToken)
    {
        var rows = await ReportAsync($"""
            SELECT key FROM (SELECT arrayJoin(prop_keys) AS key FROM {options.EventsTable} WHERE site_id = {siteId} AND {TimeFilter(range)})
            GROUP BY key ORDER BY count() DESC, key LIMIT 100
            """, cancellationToken);
        return rows.Select(r => r[0]).ToList();
    }

    public async Task<DateOnly?> FirstDayAsync(int siteId, CancellationToken cancellationToken)
    {
        var rows = await ReportAsync($"SELECT count(), min(ts_us) FROM {options.EventsTable} WHERE site_id = {siteId}", cancellationToken);
        return Long(rows[0][0]) == 0 ? null : DateOnly.FromDateTime(FromMicros(Long(rows[0][1])));
    }

    string TimeFilter(DateRange range) =>
        $"{ClickHouseSql.TsRange(range.From.AddSeconds(-1), range.To.AddSeconds(1))} " +
        $"AND ts_us >= {ClickHouseSql.Micros(range.From)} AND ts_us < {ClickHouseSql.Micros(range.To)}";

    /// <summary>A TSV array of numbers, "[1,2,3]".</summary>
    static string[] Array(string text) => text.Trim('[', ']').Split(',', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>A TSV array of (number, 'text', 'text') tuples, with quotes and backslashes escaped inside the strings.</summary>
    static List<string[]> Tuples(string text)
    {
        var tuples = new List<string[]>();
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 1; i < text.Length - 1; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '\\' && i + 1 < text.Length) field.Append(text[++i]);
                else if (c == '\'') quoted = false;
                else field.Append(c);
            }
            else if (c == '\'') quoted = true;
            else if (c == '(') { fields.Clear(); field.Clear(); }
            else if (c == ',' && text[i - 1] != ')') { fields.Add(field.ToString()); field.Clear(); }
            else if (c == ')') { fields.Add(field.ToString()); field.Clear(); tuples.Add(fields.ToArray()); }
            else if (c != ',') field.Append(c);
        }
        return tuples;
    }
}
