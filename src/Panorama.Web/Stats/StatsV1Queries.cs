using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Panorama.Core.Access;
using Panorama.Core.Goals;
using Panorama.Core.Ingestion;
using Panorama.Core.Reports;
using Panorama.Core.Reports.Query;
using Panorama.Core.Sites;

namespace Panorama.Web.Stats;

/// <summary>
/// Plausible's v1 <c>GET /api/v1/stats/aggregate</c> and <c>/timeseries</c>, for the clients and plugins still written
/// against them: each request becomes the equivalent v2 query (same parser, same numbers), answered in v1's shape.
/// v1 filters (<c>visit:browser==Firefox|Safari;event:page!=/admin/**</c>, <c>~</c> for contains) become v2 filters.
/// Mapped with the other v1 endpoints (<see cref="StatsV1Endpoints"/>).
/// </summary>
public static class StatsV1Queries
{
    internal static async Task<IResult> Aggregate(HttpContext http, ApiKeyService keys, SiteDirectory sites, GoalService goals, QueryService queries, IQueryEngine engine,
        EventBatchWriter writer, TimeProvider time, string? site_id, string? period, string? date, string? metrics, string? filters, string? compare)
    {
        if (compare is not null and not "previous_period") return Problems.BadRequest("'compare' must be previous_period.");
        var (response, error) = await RunAsync(http, keys, sites, goals, queries, engine, writer, time, site_id, period, date, metrics, filters, query =>
        {
            if (compare is not null) query["include"] = new JsonObject { ["comparisons"] = new JsonObject { ["mode"] = "previous_period" } };
        });
        if (error is not null) return error;
        var row = response!.Results.FirstOrDefault();
        var results = new JsonObject();
        for (var i = 0; i < response.Query.Metrics.Count; i++)
        {
            var item = new JsonObject { ["value"] = QueryJson.Value(row?.Metrics[i]) };
            if (compare is not null) item["change"] = row?.Comparison?.Change[i] is { } change ? JsonValue.Create(change) : null;
            results[MetricNames.Name(response.Query.Metrics[i])] = item;
        }
        return Results.Json(new JsonObject { ["results"] = results });
    }

    internal static async Task<IResult> Timeseries(HttpContext http, ApiKeyService keys, SiteDirectory sites, GoalService goals, QueryService queries, IQueryEngine engine,
        EventBatchWriter writer, TimeProvider time, string? site_id, string? period, string? date, string? metrics, string? filters, string? interval)
    {
        // v1's intervals: date (also "day") and month; hours for a single day, as Plausible's own graph has them.
        var dimension = (interval ?? (period is "6mo" or "12mo" or "year" ? "month" : period is null or "day" ? "hour" : "date")) switch
        {
            "date" or "day" => "time:day",
            "month" => "time:month",
            "hour" => "time:hour",
            _ => null,
        };
        if (dimension is null) return Problems.BadRequest("'interval' must be date, month or hour.");
        var (response, error) = await RunAsync(http, keys, sites, goals, queries, engine, writer, time, site_id, period, date, metrics, filters, query =>
        {
            query["dimensions"] = new JsonArray(dimension);
            query["include"] = new JsonObject { ["time_labels"] = true };
        });
        if (error is not null) return error;
        var byTime = response!.Results.ToDictionary(row => row.Dimensions[0], row => row.Metrics);
        var results = new JsonArray();
        foreach (var label in response.TimeLabels ?? [])
        {
            var item = new JsonObject { ["date"] = label };
            byTime.TryGetValue(label, out var values);
            for (var i = 0; i < response.Query.Metrics.Count; i++) item[MetricNames.Name(response.Query.Metrics[i])] = QueryJson.Value(values?[i]) ?? 0;
            results.Add(item);
        }
        return Results.Json(new JsonObject { ["results"] = results });
    }

    /// <summary>Authorizes, builds the v2 query (<paramref name="shape"/> adds what the endpoint needs) and runs it.</summary>
    internal static async Task<(QueryResponse? Response, IResult? Error)> RunAsync(HttpContext http, ApiKeyService keys, SiteDirectory sites, GoalService goals,
        QueryService queries, IQueryEngine engine, EventBatchWriter writer, TimeProvider time, string? siteId, string? period, string? date, string? metrics,
        string? filters, Action<JsonObject> shape)
    {
        var (site, denied) = StatsAccess.Authorize(http, keys, sites, siteId);
        if (denied is not null) return (null, denied);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(site!.TimeZone);
        var (range, periodError) = PeriodParser.Parse(period ?? "30d", date, zone, time.GetUtcNow());
        if (periodError is not null) return (null, Problems.BadRequest(periodError));
        var (conditions, filterError) = Filters(filters);
        if (filterError is not null) return (null, Problems.BadRequest(filterError));
        var query = new JsonObject
        {
            ["site_id"] = site.Domain,
            ["date_range"] = new JsonArray(LocalDay(range!.From, zone), LocalDay(range.To.AddTicks(-1), zone)),
            ["metrics"] = new JsonArray((metrics ?? "visitors").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(metric => (JsonNode?)metric).ToArray()),
            ["filters"] = Json(conditions!),
        };
        shape(query);
        StatsQuery parsed;
        try
        {
            using var document = JsonDocument.Parse(query.ToJsonString());
            parsed = QueryParser.Parse(document.RootElement, site, goals.ForSite(site.Id), time.GetUtcNow(), await engine.FirstDayAsync(site.Id, http.RequestAborted));
        }
        catch (QueryParser.QueryException exception)
        {
            return (null, QueryEndpoints.QueryError(exception.Message));
        }
        await writer.WaitUntilStoredAsync(http.RequestAborted);
        return (await queries.RunAsync(parsed, http.RequestAborted), null);
    }

    /// <summary>v1 filters: clauses joined by ';' (all must hold), values by '|' (any); '*' and '**' as in goal pages.</summary>
    internal static (IReadOnlyList<Condition>? Conditions, string? Error) Filters(string? text)
    {
        var conditions = new List<Condition>();
        foreach (var clause in (text ?? "").Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var (at, length, positive, negative) = clause.IndexOf("!=", StringComparison.Ordinal) is var not and >= 0 ? (not, 2, FilterOperator.Is, FilterOperator.IsNot)
                : clause.IndexOf("==", StringComparison.Ordinal) is var equals and >= 0 ? (equals, 2, FilterOperator.Is, FilterOperator.IsNot)
                : clause.IndexOf('~') is var contains and >= 0 ? (contains, 1, FilterOperator.Contains, FilterOperator.ContainsNot)
                : (-1, 0, FilterOperator.Is, FilterOperator.Is);
            if (at <= 0) return (null, $"'filters': '{clause}' is not PROPERTY==VALUE, PROPERTY!=VALUE or PROPERTY~VALUE.");
            var property = clause[..at].Trim();
            if (Dimension.Find(property) is not { Kind: not DimensionKind.Time } dimension) return (null, $"'filters': unknown property '{property}'.");
            var values = clause[(at + length)..].Split('|', StringSplitOptions.TrimEntries);
            var operation = clause.AsSpan(at, length) is "!=" ? negative : positive;
            if (operation is FilterOperator.Is or FilterOperator.IsNot && values.Any(value => value.Contains('*', StringComparison.Ordinal)))
                conditions.Add(new Condition(operation == FilterOperator.Is ? FilterOperator.Matches : FilterOperator.MatchesNot, dimension,
                    values.Select(value => "^" + GoalPattern.ToRegex(value) + "$").ToArray()));
            else
                conditions.Add(new Condition(operation, dimension, values));
        }
        return (conditions, null);
    }

    static readonly Dictionary<FilterOperator, string> OperatorNames = new()
    {
        [FilterOperator.Is] = "is", [FilterOperator.IsNot] = "is_not", [FilterOperator.Contains] = "contains",
        [FilterOperator.ContainsNot] = "contains_not", [FilterOperator.Matches] = "matches", [FilterOperator.MatchesNot] = "matches_not",
    };

    static JsonArray Json(IEnumerable<Condition> conditions) => new(conditions
        .Select(c => (JsonNode?)new JsonArray(OperatorNames[c.Operator], c.Dimension.Name, new JsonArray(c.Values.Select(v => (JsonNode?)v).ToArray())))
        .ToArray());

    static string LocalDay(DateTime utc, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
