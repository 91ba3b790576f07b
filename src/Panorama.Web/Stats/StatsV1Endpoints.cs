using Panorama.Core.Access;
using Panorama.Core.Ingestion;
using Panorama.Core.Reports;
using Panorama.Core.Sites;

namespace Panorama.Web.Stats;

/// <summary>The first reports: <c>GET /api/v1/stats/summary</c> and <c>GET /api/v1/stats/breakdown</c>, authorised by API key.</summary>
public static class StatsV1Endpoints
{
    public static IEndpointRouteBuilder MapStatsV1(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/stats").RequireRateLimiting(PanoramaServer.StatsRateLimit).WithTags("Stats v1");
        group.MapGet("/summary", GetSummary);
        group.MapGet("/breakdown", GetBreakdown);
        return app;
    }

    static async Task<IResult> GetSummary(HttpContext http, ApiKeyService keys, SiteDirectory sites, IStatsQueries stats, EventBatchWriter writer, TimeProvider time,
        string? site_id, string? period, string? date)
    {
        var (site, denied) = StatsAccess.Authorize(http, keys, sites, site_id);
        if (denied is not null) return denied;
        var (range, error) = PeriodParser.Parse(period, date, TimeZoneInfo.FindSystemTimeZoneById(site!.TimeZone), time.GetUtcNow());
        if (error is not null) return Problems.BadRequest(error);
        await writer.WaitUntilStoredAsync(http.RequestAborted);
        var summary = await stats.SummaryAsync(site.Id, range!, http.RequestAborted);
        return Results.Ok(new
        {
            site_id = site.Domain,
            from = range!.From,
            to = range.To,
            results = new
            {
                visitors = summary.Visitors,
                visits = summary.Visits,
                pageviews = summary.Pageviews,
                views_per_visit = summary.ViewsPerVisit,
                bounce_rate = summary.BounceRate,
                visit_duration = summary.VisitDuration,
                events = summary.Events,
            },
            definitions = MetricDefinitions.All,
        });
    }

    static async Task<IResult> GetBreakdown(HttpContext http, ApiKeyService keys, SiteDirectory sites, IStatsQueries stats, EventBatchWriter writer, TimeProvider time,
        string? site_id, string? property, string? period, string? date, int? limit)
    {
        var (site, denied) = StatsAccess.Authorize(http, keys, sites, site_id);
        if (denied is not null) return denied;
        if (!BreakdownNames.TryParse(property, out var breakdown))
            return Problems.BadRequest($"'property' must be one of: {string.Join(", ", BreakdownNames.Names)}.");
        if (limit is < 1 or > 10_000) return Problems.BadRequest("'limit' must be between 1 and 10000.");
        var (range, error) = PeriodParser.Parse(period, date, TimeZoneInfo.FindSystemTimeZoneById(site!.TimeZone), time.GetUtcNow());
        if (error is not null) return Problems.BadRequest(error);
        await writer.WaitUntilStoredAsync(http.RequestAborted);
        var rows = await stats.BreakdownAsync(site.Id, range!, breakdown, limit ?? 100, http.RequestAborted);
        var name = property!.Split(':')[1];
        return Results.Ok(new
        {
            site_id = site.Domain,
            property,
            from = range!.From,
            to = range.To,
            results = rows.Select(row => breakdown switch
            {
                Breakdown.Page => new Dictionary<string, object?> { [name] = row.Value, ["visitors"] = row.Visitors, ["pageviews"] = row.Pageviews },
                Breakdown.EventName => new Dictionary<string, object?> { [name] = row.Value, ["visitors"] = row.Visitors, ["events"] = row.Events },
                _ => new Dictionary<string, object?>
                {
                    [name] = row.Value,
                    ["visitors"] = row.Visitors,
                    ["visits"] = row.Visits,
                    ["bounce_rate"] = row.BounceRate,
                    ["visit_duration"] = row.VisitDuration,
                },
            }),
        });
    }
}
