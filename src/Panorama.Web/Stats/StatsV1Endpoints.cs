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

    static async Task<IResult> GetBreakdown(HttpContext http, ApiKeyService keys, SiteDirectory sites, GoalService goals, IQueryEngine engine,
        EventBatchWriter writer, TimeProvider time, string? site_id, string? property, string? period, string? date, int? limit, int? page,
        string? metrics, string? filters)
    {
        var (site, denied) = StatsAccess.Authorize(http, keys, sites, site_id);
        if (denied is not null) return denied;
        if (property is null || !Properties.TryGetValue(property, out var shape))
            return Problems.BadRequest($"'property' must be one of: {string.Join(", ", Properties.Keys)}.");
        if (limit is < 1 or > 10_000) return Problems.BadRequest("'limit' must be between 1 and 10000.");
        if (page is < 1) return Problems.BadRequest("'page' must be 1 or more.");
        // Plausible's v1 'metrics' picks the columns (the first ranks the rows); without it, each property's usual ones.
        if (metrics is not null)
        {
            var asked = metrics.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (asked.Length == 0 || asked.FirstOrDefault(m => !MetricNames.TryParse(m, out var metric) || !StoreQuery.StoreMetrics.Contains(metric)) is { } unknown)
                return Problems.BadRequest($"'metrics': '{metrics}' must list some of: {string.Join(", ", StoreQuery.StoreMetrics.Select(MetricNames.Name))}.");
            shape = (asked, asked);
        }
        var (conditions, filterError) = StatsV1Queries.Filters(filters);
        if (filterError is not null) return Problems.BadRequest(filterError);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(site!.TimeZone);
        var (range, error) = PeriodParser.Parse(period, date, zone, time.GetUtcNow());
        if (error is not null) return Problems.BadRequest(error);

        var dimension = Dimension.Find(property)!;
        // v1 lists known values only; pages are pageviews only.
        List<Filter> all = [new Condition(FilterOperator.IsNot, dimension, ["(none)"]), .. conditions!];
        if (property == "event:page") all.Add(new Condition(FilterOperator.Is, Dimension.Find("event:name")!, [EnrichedEvent.Pageview]));
        await writer.WaitUntilStoredAsync(http.RequestAborted);
        var result = await engine.QueryAsync(new StoreQuery
        {
            SiteId = site.Id, TimeZone = zone, Range = range!, Metrics = StoreQuery.StoreMetrics, Dimensions = [dimension], Filter = new AllOf(all),
            Goals = goals.ForSite(site.Id), OrderBy = shape.Order.Select(metric => (metric, true)).ToList(), Limit = limit ?? 100,
            Offset = ((page ?? 1) - 1) * (limit ?? 100),
        }, http.RequestAborted);
        var name = property.Split(':')[1];
        return Results.Ok(new
        {
            site_id = site.Domain,
            property,
            from = range!.From,
            to = range.To,
            results = result.Rows.Select(row =>
            {
                var item = new Dictionary<string, object?> { [name] = row.Dimensions[0] };
                foreach (var metric in shape.Metrics)
                {
                    MetricNames.TryParse(metric, out var parsed);
                    item[metric] = row.Metrics[parsed];
                }
                return item;
            }),
        });
    }
}
