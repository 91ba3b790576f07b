using Panorama.Core.Access;
using Panorama.Core.Goals;
using Panorama.Core.Sites;

namespace Panorama.Web.Stats;

/// <summary>
/// <c>GET /api/v2/segments?site_id=</c>: a site's saved segments with their ids, which queries name in
/// <c>["is", "segment", [id]]</c>, and their filters in the query API's form. Editors save them in the site settings.
/// </summary>
public static class SegmentEndpoints
{
    public static IEndpointRouteBuilder MapSegments(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v2/segments", List).RequireRateLimiting(PanoramaServer.StatsRateLimit).WithTags("Stats")
            .WithSummary("Saved segments of a site, for [\"is\", \"segment\", [id]] filters");
        return app;
    }

    static IResult List(HttpContext http, ApiKeyService keys, SiteDirectory sites, SavedViews views, string? site_id)
    {
        var (site, denied) = StatsAccess.Authorize(http, keys, sites, site_id);
        if (denied is not null) return denied;
        var segments = views.For(site!.Id, SavedViewKind.Segment).Select(segment => new
        {
            id = segment.Id,
            name = segment.Name,
            filters = segment.Filters.Select(line => new object[] { line.Operator, line.Dimension, new[] { line.Value } }),
        });
        return Results.Ok(new { segments });
    }
}
