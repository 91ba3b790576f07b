using Panorama.Core.Access;
using Panorama.Core.Sites;
using Panorama.Web.Ingestion;

namespace Panorama.Web.Stats;

/// <summary>Resolves the site a stats request names and checks that its API key may read it.</summary>
public static class StatsAccess
{
    public static (Site? Site, IResult? Denied) Authorize(HttpContext http, ApiKeyService keys, SiteDirectory sites, string? siteId)
    {
        var token = BearerToken.From(http.Request);
        if (token is null) return (null, Problems.Unauthorized("Send an API key as 'Authorization: Bearer KEY'. Create one with 'panorama keys create'."));
        var key = keys.Verify(token);
        if (key is null) return (null, Problems.Unauthorized("The API key is not valid."));
        var domain = SiteDomain.Normalize(siteId);
        if (domain is null) return (null, Problems.BadRequest("'site_id' is required: the site's domain."));
        var site = sites.FindByDomain(domain);
        // A key without access learns nothing about whether the site exists.
        if (site is null || !key.CanRead(site.Id)) return (null, Problems.NotFound($"Site '{domain}' was not found or this key cannot read it."));
        return (site, null);
    }
}
