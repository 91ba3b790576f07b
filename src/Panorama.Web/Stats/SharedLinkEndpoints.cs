using Panorama.Core.Access;
using Panorama.Core.Accounts;
using Panorama.Core.Sites;

namespace Panorama.Web.Stats;

/// <summary>
/// <c>PUT /api/v1/sites/shared-links</c> with <c>{site_id, name}</c>: Plausible's find-or-create of a shared link by name,
/// answering <c>{name, url}</c>. Shared links are an admin's right in the interface, so this needs a key for every site.
/// </summary>
public static class SharedLinkEndpoints
{
    public static IEndpointRouteBuilder MapSharedLinks(this IEndpointRouteBuilder app)
    {
        app.MapPut("/api/v1/sites/shared-links", FindOrCreate).RequireRateLimiting(PanoramaServer.StatsRateLimit).WithTags("Sites")
            .WithSummary("Find or create a site's shared link by name: {site_id, name} → {name, url}");
        return app;
    }

    static async Task<IResult> FindOrCreate(HttpContext http, ApiKeyService keys, SiteDirectory sites, SharedLinks links, AccessAudit audit,
        Email.PublicAddress address)
    {
        var (fields, invalid) = await SiteEndpoints.Fields(http, "site_id", "name");
        if (invalid is not null) return invalid;
        if (string.IsNullOrWhiteSpace(fields["site_id"])) return Problems.BadRequest("Parameter `site_id` is required to create a shared link.");
        if (string.IsNullOrWhiteSpace(fields["name"])) return Problems.BadRequest("Parameter `name` is required to create a shared link.");
        var (found, refused) = SiteEndpoints.ForChange(http, keys, sites, fields["site_id"]!, "Creating a shared link");
        if (refused is not null) return refused;
        var (site, key) = found!.Value;
        var name = fields["name"]!.Trim();
        var link = links.For(site.Id).FirstOrDefault(l => l.Name == name);
        if (link is null)
        {
            link = links.Create(site.Id, name, null);
            audit.Record($"API key {key.Prefix}…", "created shared link", $"'{link.Name}' on {site.Domain}");
        }
        return Results.Ok(new { name = link.Name, url = $"{address.Of(http.Request)}/share/{link.Token}" });
    }
}
