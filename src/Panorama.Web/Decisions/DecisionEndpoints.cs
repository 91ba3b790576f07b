using Panorama.Core.Access;
using Panorama.Core.Decisions;
using Panorama.Core.Sites;
using Panorama.Web.Stats;

namespace Panorama.Web.Decisions;

/// <summary><c>GET /api/decisions/annotations?site_id=</c>: implemented decisions of a site, for the dashboard's chart.</summary>
public static class DecisionEndpoints
{
    public static IEndpointRouteBuilder MapDecisions(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/decisions/annotations", Annotations).RequireRateLimiting(PanoramaServer.StatsRateLimit).WithTags("Decisions")
            .WithSummary("Implementation dates of a site's decisions, as chart annotations");
        return app;
    }

    static IResult Annotations(HttpContext http, ApiKeyService keys, SiteDirectory sites, DecisionRegister decisions, string? site_id)
    {
        var (site, denied) = StatsAccess.Authorize(http, keys, sites, site_id);
        if (denied is not null) return denied;
        // A shared link shows the dates and titles only: the analysis stays inside the company.
        var shared = http.Request.Headers.ContainsKey(Accounts.SharedLinkProof.Header) || http.Request.Query.ContainsKey("share");
        return Results.Ok(new
        {
            annotations = decisions.All().Where(d => d.SiteId == site!.Id && d.ImplementedOn is not null).OrderBy(d => d.ImplementedOn)
                .Select(d => new { date = d.ImplementedOn, title = d.Title, url = shared ? null : $"/decisions/{d.Id}", without_marketing = d.WithoutMarketing }),
        });
    }
}
