namespace Panorama.Core.Reports.Query;

/// <summary>
/// Answers a <see cref="StatsQuery"/>: asks the store for base metrics, derives percentages, conversion rates
/// and engagement, matches the comparison period, then orders and paginates.
/// </summary>
public sealed class QueryService(IQueryEngine engine)
{
    static readonly HashSet<Metric> PointMetrics = [Metric.BounceRate, Metric.ConversionRate, Metric.GroupConversionRate, Metric.Percentage];

    public async Task<QueryResponse> RunAsync(StatsQuery query, CancellationToken cancellationToken)
    {
        var order = query.OrderBy.Count > 0 ? query.OrderBy : DefaultOrder(query);
        var pushDown = order.All(o => query.Dimensions.Any(d => d.Name == o.Key)
            || (MetricNames.TryParse(o.Key, out var m) && (StoreQuery.StoreMetrics.Contains(m) || m == Metric.Percentage)));
        var storeOrder = order.Select(o => (o.Key == "percentage" ? "visitors" : o.Key, o.Descending)).ToList();

        var current = RowsAsync(query, query.Range, pushDown ? storeOrder : null, pushDown, cancellationToken);
        var comparisonRange = query.ComparisonRange;
        // The comparison period's rows are asked for at the same time as the period's.
        var before = comparisonRange is null ? null : RowsAsync(query with { Range = comparisonRange }, comparisonRange, null, false, cancellationToken);
        await Task.WhenAll(new Task?[] { current, before }.OfType<Task>());
        var (rows, total) = await current;
        if (!pushDown)
        {
            rows = Sort(rows, order, query).ToList();
            total = rows.Count;
            rows = rows.Skip(query.Offset).Take(query.Limit).ToList();
        }

        Dictionary<string, ResultRow>? previous = null;
        List<string>? labels = null, previousLabels = null;
        var timeIndex = query.Dimensions.ToList().FindIndex(d => d.Kind == DimensionKind.Time);
        if (before is not null && comparisonRange is not null)
        {
            var (previousRows, _) = await before;
            if (timeIndex >= 0)
            {
                var grain = query.Dimensions[timeIndex].Grain ?? TimeBuckets.Auto(query.Range);
                labels = TimeBuckets.Labels(query.Range, query.TimeZone, grain).ToList();
                previousLabels = TimeBuckets.Labels(comparisonRange, query.TimeZone, grain).ToList();
            }
            previous = new Dictionary<string, ResultRow>();
            foreach (var row in previousRows)
            {
                var key = Key(row.Dimensions, timeIndex, previousLabels);
                if (key is not null) previous[key] = row;
            }
        }

        var results = rows.Select(row =>
        {
            if (previous is null) return row;
            var key = Key(row.Dimensions, timeIndex, labels);
            var before = key is not null && previous.TryGetValue(key, out var match) ? match : null;
            var beforeMetrics = before?.Metrics ?? query.Metrics.Select(m => Zero(m)).ToList();
            // Without a match, the comparison row still names its own bucket: the one at the same position.
            var position = timeIndex >= 0 ? labels!.IndexOf(row.Dimensions[timeIndex]) : -1;
            var beforeDimensions = before?.Dimensions ?? (position >= 0 && position < previousLabels!.Count
                ? row.Dimensions.Select((d, i) => i == timeIndex ? previousLabels[position] : d).ToList()
                : row.Dimensions);
            var change = query.Metrics.Select((metric, i) => Change(metric, row.Metrics[i], beforeMetrics[i])).ToList();
            return row with { Comparison = new ComparisonRow(beforeDimensions, beforeMetrics, change) };
        }).ToList();

        var timeLabels = query.TimeLabels && timeIndex >= 0
            ? TimeBuckets.Labels(query.Range, query.TimeZone, query.Dimensions[timeIndex].Grain ?? TimeBuckets.Auto(query.Range))
            : null;
        return new QueryResponse(query, results, query.TotalRows ? total : null, timeLabels, comparisonRange);
    }

    async Task<(List<ResultRow> Rows, long Total)> RowsAsync(StatsQuery query, DateRange range, IReadOnlyList<(string, bool)>? order, bool paginate, CancellationToken cancellationToken)
    {
        var store = new StoreQuery
        {
            SiteId = query.Site.Id, TimeZone = query.TimeZone, Range = range, Metrics = StoreMetricsFor(query), Dimensions = query.Dimensions,
            Filter = query.Filter, Goals = query.Goals, OrderBy = order, Limit = paginate ? query.Limit : null, Offset = paginate ? query.Offset : 0,
        };
        // The store queries a report needs are independent: they run at once (a store answers several at a time).
        var mainTask = engine.QueryAsync(store, cancellationToken);
        var totalTask = query.Metrics.Contains(Metric.Percentage)
            ? engine.QueryAsync(store with { Metrics = [Metric.Visitors], Dimensions = [], OrderBy = null, Limit = null, Offset = 0 }, cancellationToken)
            : null;
        var populationTask = query.Metrics.Contains(Metric.ConversionRate)
            ? engine.QueryAsync(store with { Metrics = [Metric.Visitors], Dimensions = [], Filter = QueryParser.WithoutGoals(query.Filter), OrderBy = null, Limit = null, Offset = 0 }, cancellationToken)
            : null;
        var groupDimensions = query.Dimensions.Where(d => d.Kind != DimensionKind.Goal).ToList();
        var groupTask = query.Metrics.Contains(Metric.GroupConversionRate)
            ? engine.QueryAsync(store with { Metrics = [Metric.Visitors], Dimensions = groupDimensions, Filter = QueryParser.WithoutGoals(query.Filter), OrderBy = null, Limit = null, Offset = 0 }, cancellationToken)
            : null;
        var engagementTask = query.Metrics.Contains(Metric.ScrollDepth) || query.Metrics.Contains(Metric.TimeOnPage)
            ? engine.PageEngagementAsync(store with { Metrics = [Metric.Visitors], Dimensions = [Dimension.Find("event:page")!], OrderBy = null, Limit = null, Offset = 0 }, cancellationToken)
            : null;
        // Every one awaited before any is read, so a failure in one leaves none of the others unobserved.
        await Task.WhenAll(new Task?[] { mainTask, totalTask, populationTask, groupTask, engagementTask }.OfType<Task>());
        var main = await mainTask;
        long? totalVisitors = totalTask is null ? null : Visitors((await totalTask).Rows);
        long? populationVisitors = populationTask is null ? null : Visitors((await populationTask).Rows);
        var groupVisitors = groupTask is null ? null : (await groupTask).Rows
            .ToDictionary(r => string.Join('\u001f', r.Dimensions), r => (long)r.Metrics[Metric.Visitors]!);
        var engagement = engagementTask is null ? null : await engagementTask;
        var pageIndex = query.Dimensions.ToList().FindIndex(d => d.Name == "event:page");
        // Without dimensions (a report filtered on pages): every page that passed the filter, each visitor on each page once.
        var allPages = engagement?.Values.Aggregate(PageEngagement.None, (sum, page) => sum.Plus(page));
        PageEngagement? Engagement(QueryRow row) => pageIndex < 0 ? allPages : engagement!.GetValueOrDefault(row.Dimensions[pageIndex]);

        var rows = main.Rows.Select(row =>
        {
            var visitors = (long)row.Metrics[Metric.Visitors]!;
            var values = query.Metrics.Select(metric => metric switch
            {
                Metric.Percentage => totalVisitors is > 0 ? Math.Round(100.0 * visitors / totalVisitors.Value, 1) : 0.0,
                Metric.ConversionRate => populationVisitors is > 0 ? Math.Round(100.0 * visitors / populationVisitors.Value, 2) : 0.0,
                Metric.GroupConversionRate => GroupRate(row, visitors, query.Dimensions, groupVisitors!),
                Metric.ScrollDepth => Engagement(row)?.ScrollDepth,
                Metric.TimeOnPage => Engagement(row)?.TimeOnPage,
                _ => row.Metrics[metric],
            }).ToList();
            return new ResultRow(values, row.Dimensions, null);
        }).ToList();

        // Without dimensions there is always one row, zeros included.
        if (query.Dimensions.Count == 0 && rows.Count == 0)
            rows.Add(new ResultRow(query.Metrics.Select(m => Zero(m)).ToList(), [], null));
        return (rows, main.TotalRows);
    }

    /// <summary>The base metrics a query needs from the store: those asked for, and visitors, which the derived ones divide.</summary>
    static IReadOnlyList<Metric> StoreMetricsFor(StatsQuery query) =>
        query.Metrics.Where(StoreQuery.StoreMetrics.Contains).Append(Metric.Visitors).Distinct().ToList();

    static object GroupRate(QueryRow row, long visitors, IReadOnlyList<Dimension> dimensions, Dictionary<string, long> groups)
    {
        var key = string.Join('\u001f', row.Dimensions.Where((_, i) => dimensions[i].Kind != DimensionKind.Goal));
        return groups.TryGetValue(key, out var population) && population > 0 ? Math.Round(100.0 * visitors / population, 2) : 0.0;
    }

    static long Visitors(IReadOnlyList<QueryRow> rows) => rows.Count == 0 ? 0 : (long)rows[0].Metrics[Metric.Visitors]!;

    static object? Zero(Metric metric) => metric switch
    {
        Metric.TotalRevenue or Metric.AverageRevenue or Metric.ScrollDepth or Metric.TimeOnPage => null,
        Metric.Visitors or Metric.Visits or Metric.Pageviews or Metric.Events or Metric.VisitDuration => 0L,
        _ => 0.0,
    };

    static string? Key(IReadOnlyList<string> dimensions, int timeIndex, List<string>? labels)
    {
        if (timeIndex < 0) return string.Join('\u001f', dimensions);
        // Time buckets of the two periods are matched by position: the first day with the first day.
        var position = labels?.IndexOf(dimensions[timeIndex]) ?? -1;
        if (position < 0) return null;
        return string.Join('\u001f', dimensions.Select((d, i) => i == timeIndex ? position.ToString(System.Globalization.CultureInfo.InvariantCulture) : d));
    }

    static double? Change(Metric metric, object? current, object? before)
    {
        double? Number(object? value) => value switch
        {
            null => null,
            Money money => (double)money.Value,
            _ => Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture),
        };
        var now = Number(current);
        var then = Number(before);
        if (PointMetrics.Contains(metric)) return now is null || then is null ? null : Math.Round(now.Value - then.Value, 1);
        if (now is null && then is null) return null;
        var a = now ?? 0;
        var b = then ?? 0;
        if (b == 0) return a == 0 ? 0 : 100;
        return Math.Round((a - b) / b * 100);
    }

    /// <summary>Time ascending when there is a time dimension; otherwise the first metric, largest first.</summary>
    static IReadOnlyList<(string Key, bool Descending)> DefaultOrder(StatsQuery query)
    {
        var time = query.Dimensions.FirstOrDefault(d => d.Kind == DimensionKind.Time);
        if (time is not null) return [(time.Name, false)];
        if (query.Dimensions.Count == 0) return [];
        var first = query.Metrics[0];
        var rankedByItself = StoreQuery.StoreMetrics.Contains(first) || first is Metric.ConversionRate or Metric.GroupConversionRate;
        return [(rankedByItself ? MetricNames.Name(first) : "visitors", true)];
    }

    static IEnumerable<ResultRow> Sort(List<ResultRow> rows, IReadOnlyList<(string Key, bool Descending)> order, StatsQuery query)
    {
        IOrderedEnumerable<ResultRow>? sorted = null;
        foreach (var (key, descending) in order)
        {
            var dimensionIndex = query.Dimensions.ToList().FindIndex(d => d.Name == key);
            var metricIndex = MetricNames.TryParse(key, out var metric) ? query.Metrics.ToList().IndexOf(metric) : -1;
            Func<ResultRow, IComparable?> selector = dimensionIndex >= 0
                ? row => row.Dimensions[dimensionIndex]
                : row => metricIndex >= 0 ? Comparable(row.Metrics[metricIndex]) : null;
            sorted = sorted is null
                ? descending ? rows.OrderByDescending(selector) : rows.OrderBy(selector)
                : descending ? sorted.ThenByDescending(selector) : sorted.ThenBy(selector);
        }
        if (sorted is null) return rows;
        for (var i = 0; i < query.Dimensions.Count; i++)
        {
            var index = i;
            sorted = sorted.ThenBy(row => row.Dimensions[index], StringComparer.Ordinal);
        }
        return sorted;
    }

    static IComparable? Comparable(object? value) => value switch
    {
        null => null,
        Money money => money.Value,
        _ => Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture),
    };
}
