using System.Text.Json;
using Panorama.Core.Access;
using Panorama.Core.Ingestion;
using Panorama.Core.Reports.Query;
using Panorama.Core.Sites;

namespace Panorama.Web.Stats;

/// <summary>
/// <c>GET /api/v2/properties?site_id=&amp;date_range=30d</c>: the custom property names in use, for breakdowns by <c>event:props:NAME</c>;
/// only those the site shows, when it names some (<see cref="Core.Sites.Site.ShownProperties"/>).
/// </summary>
public static class PropertyEndpoints
{
    public static IEndpointRouteBuilder MapProperties(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v2/properties", List).RequireRateLimiting(PanoramaServer.StatsRateLimit).WithTags("Stats")
            .WithSummary("Custom property names used in the period, the most used first");
        return app;
    }

    static async Task<IResult> List(HttpContext http, ApiKeyService keys, SiteDirectory sites, IQueryEngine engine, EventBatchWriter writer,
        TimeProvider time, string? site_id, string? date_range)
    {
        var (site, denied) = StatsAccess.Authorize(http, keys, sites, site_id);
        if (denied is not null) return denied;
        var range = date_range ?? "30d";
        var rangeJson = range.Contains(',') ? JsonSerializer.Serialize(range.Split(',')) : JsonSerializer.Serialize(range);
        StatsQuery query;
        try
        {
            using var document = JsonDocument.Parse($$"""{"metrics": ["events"], "date_range": {{rangeJson}}}""");
            query = QueryParser.Parse(document.RootElement, site!, [], time.GetUtcNow(), await engine.FirstDayAsync(site!.Id, http.RequestAborted));
        }
        catch (QueryParser.QueryException exception)
        {
            return QueryEndpoints.QueryError(exception.Message);
        }
        await writer.WaitUntilStoredAsync(http.RequestAborted);
        var used = await engine.PropertyKeysAsync(site.Id, query.Range, http.RequestAborted);
        // With a list of shown properties (site settings, Sites API), only those, still the most used first.
        var shown = site.ShownPropertyList;
        return Results.Ok(new { properties = shown.Count == 0 ? used : used.Where(k => shown.Contains(k, StringComparer.Ordinal)) });
    }
}
