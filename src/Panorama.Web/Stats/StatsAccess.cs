using System.Security.Claims;
using Panorama.Core.Accounts;
using Panorama.Core.Access;
using Panorama.Core.Sites;
using Panorama.Web.Accounts;
using Panorama.Web.Ingestion;

namespace Panorama.Web.Stats;

/// <summary>
/// Resolves the site a stats request names and checks that the caller may read it: an API key (Bearer), or — for
/// reads only — the signed-in account's role on the site, or a shared link of that very site.
/// </summary>
public static class StatsAccess
{
    public static (Site? Site, IResult? Denied) Authorize(HttpContext http, ApiKeyService keys, SiteDirectory sites, string? siteId, bool allowSession = true)
    {
        var token = BearerToken.From(http.Request);
        var domain = SiteDomain.Normalize(siteId);
        if (token is null)
        {
            if (!allowSession) return (null, Problems.Unauthorized("Changes through the API need an API key: send it as 'Authorization: Bearer KEY'."));
            if (SessionRole(http, domain, sites) is { } site) return (site, null);
            if (http.User.Identity?.IsAuthenticated == true || SharedLinkToken(http) is not null)
                return (null, domain is null ? Problems.BadRequest("'site_id' is required: the site's domain.") : NotFound(domain));
            return (null, Problems.Unauthorized("Send an API key as 'Authorization: Bearer KEY'. Create one with 'panorama keys create'."));
        }
        var key = keys.Verify(token);
        if (key is null) return (null, Problems.Unauthorized("The API key is not valid."));
        if (domain is null) return (null, Problems.BadRequest("'site_id' is required: the site's domain."));
        var found = sites.FindByDomain(domain);
        // A key without access learns nothing about whether the site exists.
        if (found is null || !key.CanRead(found.Id)) return (null, NotFound(domain));
        return (found, null);
    }

    static IResult NotFound(string domain) => Problems.NotFound($"Site '{domain}' was not found or you cannot read it.");

    static string? SharedLinkToken(HttpContext http) =>
        http.Request.Headers[SharedLinkProof.Header].FirstOrDefault() is { Length: > 0 } header ? header : http.Request.Query["share"].FirstOrDefault();

    static Site? SessionRole(HttpContext http, string? domain, SiteDirectory sites)
    {
        if (domain is null || sites.FindByDomain(domain) is not { } site) return null;
        if (SharedLinkToken(http) is { } shareToken)
        {
            var link = http.RequestServices.GetRequiredService<SharedLinks>().Find(shareToken);
            return link is not null && link.SiteId == site.Id && http.RequestServices.GetRequiredService<SharedLinkProof>().IsGranted(http, link) ? site : null;
        }
        var userId = http.User.FindFirstValue(ClaimTypes.NameIdentifier);
        if (userId is null) return null;
        return http.RequestServices.GetRequiredService<SiteAccess>().RoleOf(userId, site.Id) is not null ? site : null;
    }
}
