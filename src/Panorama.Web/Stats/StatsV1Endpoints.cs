using System.Text.Json.Nodes;
using Panorama.Core.Access;
using Panorama.Core.Goals;
using Panorama.Core.Ingestion;
using Panorama.Core.Reports;
using Panorama.Core.Reports.Query;
using Panorama.Core.Sites;

namespace Panorama.Web.Stats;

/// <summary>
/// The first reports, kept for simple clients: <c>GET /api/v1/stats/summary</c> and <c>GET /api/v1/stats/breakdown</c>.
/// Both are answered by the same store queries as the v2 API.
/// </summary>
public static class StatsV1Endpoints
{
    // v1 properties are v2 dimension names; each lists the metrics its rows carry and the order they are ranked in.
    static readonly Dictionary<string, (string[] Metrics, string[] Order)> Properties = new()
    {
        ["event:page"] = (["visitors", "pageviews"], ["visitors", "pageviews"]),
        ["event:name"] = (["visitors", "events"], ["visitors", "events"]),
        ["event:hostname"] = (["visitors", "pageviews"], ["visitors", "pageviews"]),
        ["visit:entry_page"] = (VisitMetrics, ["visitors", "visits"]),
        ["visit:exit_page"] = (VisitMetrics, ["visitors", "visits"]),
        ["visit:source"] = (VisitMetrics, ["visitors", "visits"]),
        ["visit:channel"] = (VisitMetrics, ["visitors", "visits"]),
        ["visit:referrer"] = (VisitMetrics, ["visitors", "visits"]),
        ["visit:utm_source"] = (VisitMetrics, ["visitors", "visits"]),
        ["visit:utm_medium"] = (VisitMetrics, ["visitors", "visits"]),
        ["visit:utm_campaign"] = (VisitMetrics, ["visitors", "visits"]),
        ["visit:utm_content"] = (VisitMetrics, ["visitors", "visits"]),
        ["visit:utm_term"] = (VisitMetrics, ["visitors", "visits"]),
        ["visit:country"] = (VisitMetrics, ["visitors", "visits"]),
        ["visit:region"] = (VisitMetrics, ["visitors", "visits"]),
        ["visit:city"] = (VisitMetrics, ["visitors", "visits"]),
        ["visit:browser"] = (VisitMetrics, ["visitors", "visits"]),
        ["visit:browser_version"] = (VisitMetrics, ["visitors", "visits"]),
        ["visit:os"] = (VisitMetrics, ["visitors", "visits"]),
        ["visit:os_version"] = (VisitMetrics, ["visitors", "visits"]),
        ["visit:device"] = (VisitMetrics, ["visitors", "visits"]),
    };

    static string[] VisitMetrics => ["visitors", "visits", "bounce_rate", "visit_duration"];

    public static IEndpointRouteBuilder MapStatsV1(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/stats").RequireRateLimiting(PanoramaServer.StatsRateLimit).WithTags("Stats v1");
        group.MapGet("/summary", GetSummary);
        group.MapGet("/breakdown", GetBreakdown);
        group.MapGet("/aggregate", StatsV1Queries.Aggregate);
        group.MapGet("/timeseries", StatsV1Queries.Timeseries);
        return app;
    }

    static async Task<IResult> GetSummary(HttpContext http, ApiKeyService keys, SiteDirectory sites, IQueryEngine engine, EventBatchWriter writer, TimeProvider time,
        string? site_id, string? period, string? date)
    {
        var (site, denied) = StatsAccess.Authorize(http, keys, sites, site_id);
        if (denied is not null) return denied;
        var zone = TimeZoneInfo.FindSystemTimeZoneById(site!.TimeZone);
        var (range, error) = PeriodParser.Parse(period, date, zone, time.GetUtcNow());
        if (error is not null) return Problems.BadRequest(error);
        await writer.WaitUntilStoredAsync(http.RequestAborted);
        var result = await engine.QueryAsync(new StoreQuery { SiteId = site.Id, TimeZone = zone, Range = range!, Metrics = StoreQuery.StoreMetrics }, http.RequestAborted);
        var row = result.Rows.FirstOrDefault()?.Metrics;
        object Value(Metric metric, object zero) => row?[metric] ?? zero;
        return Results.Ok(new
        {
            site_id = site.Domain,
            from = range!.From,
            to = range.To,
            results = new
            {
                visitors = Value(Metric.Visitors, 0L),
                visits = Value(Metric.Visits, 0L),
                pageviews = Value(Metric.Pageviews, 0L),
                views_per_visit = Value(Metric.ViewsPerVisit, 0.0),
                bounce_rate = Value(Metric.BounceRate, 0.0),
                visit_duration = Value(Metric.VisitDuration, 0L),
                events = Value(Metric.Events, 0L),
            },
            definitions = MetricDefinitions.All,
        });
    }

    /// <summary>
    /// Plausible's v1 breakdown, answered by the v2 query (same parser, same numbers), so every v2 metric a dimension allows
    /// is offered: <c>event:goal</c> with <c>conversion_rate</c>, <c>event:props:NAME</c>, <c>percentage</c>, <c>time_on_page</c>…
    /// </summary>
    static async Task<IResult> GetBreakdown(HttpContext http, ApiKeyService keys, SiteDirectory sites, GoalService goals, QueryService queries, IQueryEngine engine,
        EventBatchWriter writer, TimeProvider time, string? site_id, string? property, string? period, string? date, int? limit, int? page,
        string? metrics, string? filters)
    {
        if (property is null || Dimension.Find(property) is not { Kind: not DimensionKind.Time })
            return Problems.BadRequest($"'property' must be one of: {string.Join(", ", Properties.Keys)}, event:goal, event:props:NAME.");
        if (limit is < 1 or > 10_000) return Problems.BadRequest("'limit' must be between 1 and 10000.");
        if (page is < 1) return Problems.BadRequest("'page' must be 1 or more.");
        // Plausible's v1 'metrics' picks the columns (the first ranks the rows); without it, each property's usual ones.
        var asked = metrics?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        (string[] Metrics, string[] Order) shape = asked is not null ? (asked, asked)
            : Properties.TryGetValue(property, out var usual) ? usual
            : property == "event:goal" ? (["visitors", "events", "conversion_rate"], ["visitors", "events"])
            : (["visitors", "events"], ["visitors", "events"]);
        if (shape.Metrics.Length == 0) return Problems.BadRequest("'metrics' lists no metric.");
        var (response, error) = await StatsV1Queries.RunAsync(http, keys, sites, goals, queries, engine, writer, time, site_id, period, date,
            string.Join(',', shape.Metrics), filters, query =>
            {
                query["dimensions"] = new JsonArray(property);
                var all = query["filters"]!.AsArray();
                // v1 lists known values only; pages are pageviews only.
                if (Properties.ContainsKey(property)) all.Add(new JsonArray("is_not", property, new JsonArray("(none)")));
                if (property == "event:page") all.Add(new JsonArray("is", "event:name", new JsonArray(EnrichedEvent.Pageview)));
                query["order_by"] = new JsonArray(shape.Order.Select(metric => (JsonNode?)new JsonArray(metric, "desc")).ToArray());
                query["pagination"] = new JsonObject { ["limit"] = limit ?? 100, ["offset"] = ((page ?? 1) - 1) * (limit ?? 100) };
            });
        if (error is not null) return error;
        var name = property[(property.LastIndexOf(':') + 1)..];
        return Results.Json(new JsonObject
        {
            ["site_id"] = response!.Query.Site.Domain,
            ["property"] = property,
            ["from"] = response.Query.Range.From,
            ["to"] = response.Query.Range.To,
            ["results"] = new JsonArray(response.Results.Select(row =>
            {
                var item = new JsonObject { [name] = row.Dimensions[0] };
                for (var i = 0; i < response.Query.Metrics.Count; i++) item[MetricNames.Name(response.Query.Metrics[i])] = QueryJson.Value(row.Metrics[i]);
                return (JsonNode?)item;
            }).ToArray()),
        });
    }
}
