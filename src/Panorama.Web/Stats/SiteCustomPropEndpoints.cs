using Panorama.Core.Access;
using Panorama.Core.Sites;

namespace Panorama.Web.Stats;

/// <summary>
/// The custom properties a site's dashboard offers, in Plausible's Sites API shape: <c>GET /api/v1/sites/custom-props?site_id=</c>,
/// <c>PUT /api/v1/sites/custom-props</c> with <c>{site_id, property}</c>, <c>DELETE /api/v1/sites/custom-props/{property}</c>
/// with <c>site_id</c>. While the list is empty the dashboard offers every property in use. Goals' rights: a key for the site.
/// </summary>
public static class SiteCustomPropEndpoints
{
    public static IEndpointRouteBuilder MapSiteCustomProps(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/sites/custom-props").RequireRateLimiting(PanoramaServer.StatsRateLimit).WithTags("Sites");
        group.MapGet("", List).WithSummary("The custom properties the dashboard offers (empty: every one in use)");
        group.MapPut("", Add).WithSummary("Offer a custom property on the dashboard: {site_id, property}");
        group.MapDelete("/{property}", Remove).WithSummary("Stop offering a custom property: {site_id}");
        return app;
    }

    static IResult List(HttpContext http, ApiKeyService keys, SiteDirectory sites, string? site_id)
    {
        var (site, denied) = StatsAccess.Authorize(http, keys, sites, site_id);
        return denied ?? Results.Ok(new { custom_props = site!.ShownPropertyList });
    }

    static async Task<IResult> Add(HttpContext http, ApiKeyService keys, SiteDirectory sites)
    {
        var (fields, invalid) = await SiteEndpoints.Fields(http, "site_id", "property");
        if (invalid is not null) return invalid;
        if (string.IsNullOrWhiteSpace(fields["site_id"])) return Problems.BadRequest("Parameter `site_id` is required to add a custom property.");
        if (string.IsNullOrWhiteSpace(fields["property"])) return Problems.BadRequest("Parameter `property` is required: the custom property's name.");
        var (site, denied) = StatsAccess.Authorize(http, keys, sites, fields["site_id"], allowSession: false);
        if (denied is not null) return denied;
        try
        {
            sites.ShowProperty(site!.Id, fields["property"]!);
            return Results.Ok(new { created = true });
        }
        catch (ArgumentException exception)
        {
            return Problems.BadRequest(exception.Message);
        }
    }

    static async Task<IResult> Remove(HttpContext http, ApiKeyService keys, SiteDirectory sites, string property)
    {
        var (fields, invalid) = await SiteEndpoints.Fields(http, "site_id");
        if (invalid is not null) return invalid;
        if (string.IsNullOrWhiteSpace(fields["site_id"])) return Problems.BadRequest("Parameter `site_id` is required to remove a custom property.");
        var (site, denied) = StatsAccess.Authorize(http, keys, sites, fields["site_id"], allowSession: false);
        if (denied is not null) return denied;
        try
        {
            sites.HideProperty(site!.Id, property);
            return Results.Ok(new { deleted = true });
        }
        catch (ArgumentException exception)
        {
            return Problems.BadRequest(exception.Message);
        }
    }
}
