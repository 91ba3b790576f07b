using System.Globalization;
using System.Text.Json;
using Panorama.Core.Goals;
using Panorama.Core.Sites;

namespace Panorama.Core.Reports.Query;

/// <summary>
/// Reads a Plausible Stats API v2 request body into a <see cref="StatsQuery"/>, or returns a message that
/// names the offending field, as Plausible does.
/// </summary>
public static class QueryParser
{
    public const int MaxLimit = 10_000;
    public static readonly string[] NamedRanges = ["day", "24h", "7d", "28d", "30d", "91d", "month", "6mo", "12mo", "year", "all"];

    public sealed class QueryException(string message) : Exception(message);

    /// <summary>A query the server builds itself (reports, KPIs, decision metrics, emails), checked like a request's.</summary>
    public static StatsQuery Parse(System.Text.Json.Nodes.JsonObject body, Site site, IReadOnlyList<Goal> goals, DateTimeOffset now)
    {
        using var document = JsonDocument.Parse(body.ToJsonString());
        return Parse(document.RootElement, site, goals, now);
    }

    /// <param name="firstDay">The site's first day with data, for <c>"all"</c>.</param>
    /// <param name="segments">The site's saved segments, for <c>["is", "segment", [id]]</c> filters.</param>
    public static StatsQuery Parse(JsonElement body, Site site, IReadOnlyList<Goal> goals, DateTimeOffset now, DateOnly? firstDay = null,
        IReadOnlyList<SavedView>? segments = null)
    {
        if (body.ValueKind != JsonValueKind.Object) throw new QueryException("The body must be a JSON object.");
        foreach (var property in body.EnumerateObject())
        {
            if (property.Name is not ("site_id" or "metrics" or "date_range" or "dimensions" or "filters" or "order_by" or "include" or "pagination"))
                throw new QueryException($"Unknown field '{property.Name}'.");
        }
        var zone = TimeZoneInfo.FindSystemTimeZoneById(site.TimeZone);

        if (!body.TryGetProperty("metrics", out var metricsElement) || metricsElement.ValueKind != JsonValueKind.Array || metricsElement.GetArrayLength() == 0)
            throw new QueryException("#/metrics: at least one metric is required.");
        var metrics = new List<Metric>();
        foreach (var item in metricsElement.EnumerateArray())
        {
            var name = item.ValueKind == JsonValueKind.String ? item.GetString() : null;
            if (!MetricNames.TryParse(name, out var metric))
                throw new QueryException($"#/metrics: unknown metric '{item}'. Known: {string.Join(", ", MetricNames.All)}.");
            if (metrics.Contains(metric)) throw new QueryException($"#/metrics: '{name}' is listed twice.");
            metrics.Add(metric);
        }

        var range = ParseDateRange(body.TryGetProperty("date_range", out var dateRange) ? dateRange : default, zone, now, firstDay);

        var dimensions = new List<Dimension>();
        if (body.TryGetProperty("dimensions", out var dimensionsElement))
        {
            if (dimensionsElement.ValueKind != JsonValueKind.Array) throw new QueryException("#/dimensions must be an array.");
            foreach (var item in dimensionsElement.EnumerateArray())
            {
                var dimension = Dimension.Find(item.ValueKind == JsonValueKind.String ? item.GetString() : null)
                    ?? throw new QueryException($"#/dimensions: invalid dimension '{item}'. Known: {string.Join(", ", Dimension.Names)}.");
                if (dimensions.Any(d => d.Name == dimension.Name)) throw new QueryException($"#/dimensions: '{dimension.Name}' is listed twice.");
                dimensions.Add(dimension);
            }
            if (dimensions.Count(d => d.Kind == DimensionKind.Time) > 1) throw new QueryException("#/dimensions: only one time dimension per query.");
        }

        if (dimensions.Any(d => d.Grain == TimeGrain.Minute) && range.To - range.From > TimeBuckets.MinuteRangeLimit)
            throw new QueryException("#/dimensions: time:minute is for ranges of up to two days; use time:hour or longer buckets.");

        Filter? filter = null;
        if (body.TryGetProperty("filters", out var filtersElement))
        {
            if (filtersElement.ValueKind != JsonValueKind.Array) throw new QueryException("#/filters must be an array.");
            var filters = filtersElement.EnumerateArray().Select((f, i) => ParseFilter(f, $"#/filters/{i}", goals, segments ?? [])).ToList();
            filter = filters.Count switch { 0 => null, 1 => filters[0], _ => new AllOf(filters) };
        }

        var hasGoal = dimensions.Any(d => d.Kind == DimensionKind.Goal) || (filter is not null && MentionsGoal(filter));
        if (metrics.Contains(Metric.ConversionRate) && !hasGoal)
            throw new QueryException("Metric 'conversion_rate' can only be queried with an event:goal filter or dimension.");
        if (metrics.Contains(Metric.GroupConversionRate) && (!hasGoal || dimensions.Count == 0))
            throw new QueryException("Metric 'group_conversion_rate' needs a dimension and an event:goal filter or dimension.");
        if (metrics.Contains(Metric.ViewsPerVisit) && hasGoal)
            throw new QueryException("Metric 'views_per_visit' cannot be queried with an event:goal filter or dimension.");
        // Per page, or without dimensions over the pages a filter picks (Plausible's rule), as its dashboard's top stats show them.
        foreach (var metric in new[] { Metric.ScrollDepth, Metric.TimeOnPage })
        {
            if (metrics.Contains(metric) && !dimensions.Any(d => d.Name == "event:page") && !(dimensions.Count == 0 && filter is not null && FiltersOnPage(filter)))
                throw new QueryException($"Metric '{MetricNames.Name(metric)}' can only be queried with the event:page dimension, or without dimensions under an event:page filter.");
        }

        var orderBy = new List<(string, bool)>();
        if (body.TryGetProperty("order_by", out var orderElement))
        {
            if (orderElement.ValueKind != JsonValueKind.Array) throw new QueryException("#/order_by must be an array of [field, \"asc\"|\"desc\"].");
            foreach (var item in orderElement.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Array || item.GetArrayLength() != 2 || item[0].ValueKind != JsonValueKind.String
                    || item[1].ValueKind != JsonValueKind.String || item[1].GetString() is not ("asc" or "desc"))
                    throw new QueryException($"#/order_by: invalid entry {item}; use [field, \"asc\"|\"desc\"].");
                var key = item[0].GetString()!;
                if (!metrics.Any(m => MetricNames.Name(m) == key) && !dimensions.Any(d => d.Name == key))
                    throw new QueryException($"#/order_by: '{key}' is neither a queried metric nor a queried dimension.");
                orderBy.Add((key, item[1].GetString() == "desc"));
            }
        }

        var limit = MaxLimit;
        var offset = 0;
        if (body.TryGetProperty("pagination", out var pagination))
        {
            if (pagination.ValueKind != JsonValueKind.Object) throw new QueryException("#/pagination must be an object {limit, offset}.");
            if (pagination.TryGetProperty("limit", out var l) && (l.ValueKind != JsonValueKind.Number || !l.TryGetInt32(out limit) || limit < 1 || limit > MaxLimit))
                throw new QueryException($"#/pagination/limit must be between 1 and {MaxLimit}.");
            if (pagination.TryGetProperty("offset", out var o) && (o.ValueKind != JsonValueKind.Number || !o.TryGetInt32(out offset) || offset < 0))
                throw new QueryException("#/pagination/offset must be 0 or more.");
        }

        DateRange? comparison = null;
        bool timeLabels = false, totalRows = false, imports = false;
        if (body.TryGetProperty("include", out var include))
        {
            if (include.ValueKind != JsonValueKind.Object) throw new QueryException("#/include must be an object.");
            foreach (var option in include.EnumerateObject())
            {
                switch (option.Name)
                {
                    case "time_labels": timeLabels = option.Value.ValueKind == JsonValueKind.True; break;
                    case "total_rows": totalRows = option.Value.ValueKind == JsonValueKind.True; break;
                    case "imports": imports = option.Value.ValueKind == JsonValueKind.True; break;
                    case "comparisons":
                        if (option.Value.ValueKind != JsonValueKind.Null) comparison = ParseComparison(option.Value, range, zone, now);
                        break;
                    default: throw new QueryException($"#/include: unknown option '{option.Name}'.");
                }
            }
            if (timeLabels && !dimensions.Any(d => d.Kind == DimensionKind.Time))
                throw new QueryException("#/include/time_labels requires a time dimension.");
        }

        return new StatsQuery
        {
            Site = site, TimeZone = zone, Range = range, Metrics = metrics, Dimensions = dimensions, Filter = filter, OrderBy = orderBy,
            Limit = limit, Offset = offset, ComparisonRange = comparison, TimeLabels = timeLabels, TotalRows = totalRows, Goals = goals,
            ImportsRequested = imports,
        };
    }

    static DateRange ParseComparison(JsonElement element, DateRange range, TimeZoneInfo zone, DateTimeOffset now)
    {
        if (element.ValueKind != JsonValueKind.Object) throw new QueryException("#/include/comparisons must be an object such as {\"mode\": \"previous_period\"}.");
        string? mode = null;
        var matchDayOfWeek = false;
        (DateOnly, DateOnly)? days = null;
        foreach (var option in element.EnumerateObject())
        {
            switch (option.Name)
            {
                case "mode": mode = option.Value.ValueKind == JsonValueKind.String ? option.Value.GetString() : null; break;
                case "match_day_of_week":
                    if (option.Value.ValueKind is not (JsonValueKind.True or JsonValueKind.False)) throw new QueryException("#/include/comparisons/match_day_of_week must be true or false.");
                    matchDayOfWeek = option.Value.ValueKind == JsonValueKind.True;
                    break;
                case "date_range":
                    if (option.Value.ValueKind != JsonValueKind.Array || option.Value.GetArrayLength() != 2
                        || !TryDay(option.Value[0].ValueKind == JsonValueKind.String ? option.Value[0].GetString() : null, out var first)
                        || !TryDay(option.Value[1].ValueKind == JsonValueKind.String ? option.Value[1].GetString() : null, out var last))
                        throw new QueryException("#/include/comparisons/date_range must be [\"YYYY-MM-DD\", \"YYYY-MM-DD\"].");
                    if (last < first) throw new QueryException("#/include/comparisons/date_range: the end is before the start.");
                    if (!DateRange.Reportable(first) || !DateRange.Reportable(last))
                        throw new QueryException($"#/include/comparisons/date_range: dates go from {DateRange.FirstDay:yyyy-MM-dd} to {DateRange.LastDay:yyyy-MM-dd}.");
                    days = (first, last);
                    break;
                default: throw new QueryException($"#/include/comparisons: unknown option '{option.Name}'.");
            }
        }
        var comparisonMode = mode switch
        {
            "previous_period" => ComparisonMode.PreviousPeriod,
            "year_over_year" => ComparisonMode.YearOverYear,
            "custom" => ComparisonMode.Custom,
            _ => throw new QueryException("#/include/comparisons/mode must be \"previous_period\", \"year_over_year\" or \"custom\"."),
        };
        if (comparisonMode == ComparisonMode.Custom && days is null) throw new QueryException("#/include/comparisons: the custom mode needs a date_range.");
        if (comparisonMode != ComparisonMode.Custom && days is not null) throw new QueryException("#/include/comparisons/date_range is for the custom mode only.");
        return Comparison.Range(range, comparisonMode, zone, now, days, matchDayOfWeek);
    }

    static bool TryDay(string? text, out DateOnly day) => DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day);

    static QueryException OutOfBounds() => new($"#/date_range: dates go from {DateRange.FirstDay:yyyy-MM-dd} to {DateRange.LastDay:yyyy-MM-dd}.");

    static DateRange ParseDateRange(JsonElement element, TimeZoneInfo zone, DateTimeOffset now, DateOnly? firstDay)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        if (element.ValueKind == JsonValueKind.String)
        {
            var name = element.GetString();
            if (name == "24h") return new DateRange(now.UtcDateTime.AddHours(-24), now.UtcDateTime);
            if (name == "all") return DateRange.ForDays(firstDay ?? today, today, zone);
            if (name is not null && NamedRanges.Contains(name) && name != "custom")
                return PeriodParser.Parse(name, null, zone, now).Range!;
            throw new QueryException($"#/date_range: invalid '{name}'. Use one of {string.Join(", ", NamedRanges)} or [start, end].");
        }
        if (element.ValueKind == JsonValueKind.Array && element.GetArrayLength() == 2
            && element[0].ValueKind == JsonValueKind.String && element[1].ValueKind == JsonValueKind.String)
        {
            var start = element[0].GetString()!;
            var end = element[1].GetString()!;
            if (TryDay(start, out var first) && TryDay(end, out var last))
            {
                if (last < first) throw new QueryException("#/date_range: the end is before the start.");
                if (!DateRange.Reportable(first) || !DateRange.Reportable(last)) throw OutOfBounds();
                return DateRange.ForDays(first, last, zone);
            }
            if (DateTimeOffset.TryParse(start, CultureInfo.InvariantCulture, DateTimeStyles.None, out var from)
                && DateTimeOffset.TryParse(end, CultureInfo.InvariantCulture, DateTimeStyles.None, out var to)
                && start.Contains('T') && end.Contains('T'))
            {
                if (to <= from) throw new QueryException("#/date_range: the end is not after the start.");
                if (!DateRange.Reportable(DateOnly.FromDateTime(from.UtcDateTime)) || !DateRange.Reportable(DateOnly.FromDateTime(to.UtcDateTime))) throw OutOfBounds();
                return new DateRange(from.UtcDateTime, to.UtcDateTime);
            }
            throw new QueryException("#/date_range: use [\"YYYY-MM-DD\", \"YYYY-MM-DD\"] or two ISO 8601 date-times with offsets.");
        }
        throw new QueryException("#/date_range is required: a name such as \"7d\", or [start, end].");
    }

    static Filter ParseFilter(JsonElement element, string path, IReadOnlyList<Goal> goals, IReadOnlyList<SavedView> segments)
    {
        if (element.ValueKind != JsonValueKind.Array || element.GetArrayLength() == 0 || element[0].ValueKind != JsonValueKind.String)
            throw new QueryException($"{path}: a filter is [operator, ...].");
        var op = element[0].GetString()!;
        switch (op)
        {
            case "and" or "or":
                if (element.GetArrayLength() != 2 || element[1].ValueKind != JsonValueKind.Array || element[1].GetArrayLength() == 0)
                    throw new QueryException($"{path}: '{op}' takes a non-empty list of filters.");
                var children = element[1].EnumerateArray().Select((f, i) => ParseFilter(f, $"{path}/1/{i}", goals, segments)).ToList();
                return op == "and" ? new AllOf(children) : new AnyOf(children);
            case "not":
                if (element.GetArrayLength() != 2) throw new QueryException($"{path}: 'not' takes one filter.");
                return new Not(ParseFilter(element[1], $"{path}/1", goals, segments));
            case "has_done" or "has_not_done":
                if (element.GetArrayLength() != 2) throw new QueryException($"{path}: '{op}' takes one filter.");
                var inner = ParseFilter(element[1], $"{path}/1", goals, segments);
                if (MentionsVisitOrTime(inner)) throw new QueryException($"{path}: '{op}' filters on event dimensions only (event:page, event:name, event:goal, event:props:*).");
                return new VisitHasDone(inner, op == "has_not_done");
        }
        var operators = new Dictionary<string, FilterOperator>
        {
            ["is"] = FilterOperator.Is, ["is_not"] = FilterOperator.IsNot, ["contains"] = FilterOperator.Contains,
            ["contains_not"] = FilterOperator.ContainsNot, ["matches"] = FilterOperator.Matches, ["matches_not"] = FilterOperator.MatchesNot,
        };
        if (!operators.TryGetValue(op, out var filterOperator))
            throw new QueryException($"{path}: unknown filter operator '{op}'. Use is, is_not, contains, contains_not, matches, matches_not, and, or, not, has_done, has_not_done.");
        if (element.GetArrayLength() is < 3 or > 4) throw new QueryException($"{path}: '{op}' is [\"{op}\", dimension, [values]].");
        if (op == "is" && element[1].ValueKind == JsonValueKind.String && element[1].GetString() == "segment")
            return SegmentFilter(element, path, goals, segments);
        var dimension = Dimension.Find(element[1].ValueKind == JsonValueKind.String ? element[1].GetString() : null)
            ?? throw new QueryException($"{path}: invalid filter dimension '{element[1]}'.");
        if (dimension.Kind == DimensionKind.Time) throw new QueryException($"{path}: filter on a time dimension with date_range instead.");
        if (element[2].ValueKind != JsonValueKind.Array || element[2].GetArrayLength() == 0)
            throw new QueryException($"{path}: the values of '{op}' must be a non-empty list.");
        var values = new List<string>();
        foreach (var value in element[2].EnumerateArray())
        {
            if (value.ValueKind is not (JsonValueKind.String or JsonValueKind.Number)) throw new QueryException($"{path}: filter values are strings.");
            values.Add(value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText());
        }
        if (filterOperator is FilterOperator.Matches or FilterOperator.MatchesNot)
        {
            foreach (var pattern in values)
            {
                try
                {
                    _ = new System.Text.RegularExpressions.Regex(pattern);
                }
                catch (ArgumentException)
                {
                    throw new QueryException($"{path}: '{pattern}' is not a valid regular expression.");
                }
            }
        }
        if (dimension.Kind == DimensionKind.Goal && filterOperator == FilterOperator.Is)
        {
            var unknown = values.Where(v => !goals.Any(g => g.IsCalled(v))).ToList();
            if (unknown.Count > 0) throw new QueryException($"{path}: the goal '{unknown[0]}' is not configured for this site.");
        }
        var caseSensitive = true;
        if (element.GetArrayLength() == 4)
        {
            if (element[3].ValueKind != JsonValueKind.Object) throw new QueryException($"{path}: modifiers are an object such as {{\"case_sensitive\": false}}.");
            if (element[3].TryGetProperty("case_sensitive", out var sensitivity)) caseSensitive = sensitivity.ValueKind != JsonValueKind.False;
        }
        return new Condition(filterOperator, dimension, values, caseSensitive);
    }

    /// <summary><c>["is", "segment", [id, …]]</c>: the filters of the site's saved segments, any of them.</summary>
    static Filter SegmentFilter(JsonElement element, string path, IReadOnlyList<Goal> goals, IReadOnlyList<SavedView> segments)
    {
        if (element.GetArrayLength() != 3 || element[2].ValueKind != JsonValueKind.Array || element[2].GetArrayLength() == 0)
            throw new QueryException($"{path}: a segment filter is [\"is\", \"segment\", [id]].");
        var matched = new List<Filter>();
        foreach (var item in element[2].EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt32(out var id))
                throw new QueryException($"{path}: segments are named by their ids (numbers), not {item.GetRawText()}.");
            var segment = segments.FirstOrDefault(s => s.Id == id && s.Kind == SavedViewKind.Segment)
                ?? throw new QueryException($"{path}: segment {id} is not saved for this site.");
            var conditions = segment.Filters.Select((line, i) =>
            {
                using var condition = JsonDocument.Parse(JsonSerializer.Serialize(new object[] { line.Operator, line.Dimension, new[] { line.Value } }));
                return ParseFilter(condition.RootElement, $"{path}: segment {id} ('{segment.Name}'), filter {i + 1}", goals, []);
            }).ToList();
            matched.Add(conditions.Count == 1 ? conditions[0] : new AllOf(conditions));
        }
        return matched.Count == 1 ? matched[0] : new AnyOf(matched);
    }

    public static bool MentionsGoal(Filter filter) => Walk(filter).Any(c => c.Dimension.Kind == DimensionKind.Goal);

    /// <summary>Whether the filter holds a condition on the page of the rows themselves (not inside "has done").</summary>
    static bool FiltersOnPage(Filter filter) => filter switch
    {
        Condition condition => condition.Dimension.Name == "event:page",
        AllOf all => all.Filters.Any(FiltersOnPage),
        AnyOf any => any.Filters.Any(FiltersOnPage),
        Not not => FiltersOnPage(not.Filter),
        _ => false,
    };

    static bool MentionsVisitOrTime(Filter filter) => Walk(filter).Any(c => c.Dimension.Kind is DimensionKind.Visit or DimensionKind.Time);

    static IEnumerable<Condition> Walk(Filter filter) => filter switch
    {
        Condition condition => [condition],
        AllOf all => all.Filters.SelectMany(Walk),
        AnyOf any => any.Filters.SelectMany(Walk),
        Not not => Walk(not.Filter),
        VisitHasDone hasDone => Walk(hasDone.Filter),
        _ => [],
    };

    /// <summary>The filter without its top-level goal conditions: the population a conversion rate divides by.</summary>
    public static Filter? WithoutGoals(Filter? filter) => filter switch
    {
        null => null,
        Condition { Dimension.Kind: DimensionKind.Goal } => null,
        AllOf all => all.Filters.Select(WithoutGoals).OfType<Filter>().ToList() is { Count: > 0 } rest ? new AllOf(rest) : null,
        _ => filter,
    };
}
