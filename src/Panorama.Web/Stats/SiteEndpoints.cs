using System.Text.Json.Nodes;
using Panorama.Core.Access;
using Panorama.Core.Accounts;
using Panorama.Core.Sites;
using Panorama.Web.Ingestion;

namespace Panorama.Web.Stats;

/// <summary>
/// Plausible's Sites API, for provisioning: <c>POST /api/v1/sites</c> registers a site (with a key for every site: the
/// owner's, or one made by <c>panorama keys create</c> without <c>--site</c>), <c>GET /api/v1/sites</c> lists the sites a
/// key reads, <c>GET /api/v1/sites/{domain}</c> shows one, <c>PUT /api/v1/sites/{domain}</c> changes its domain and
/// <c>DELETE /api/v1/sites/{domain}</c> deletes it with its data. Its goals and shared links: <see cref="SiteGoalEndpoints"/>,
/// <see cref="SharedLinkEndpoints"/>.
/// </summary>
public static class SiteEndpoints
{
    public static IEndpointRouteBuilder MapSites(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/sites").RequireRateLimiting(PanoramaServer.StatsRateLimit).WithTags("Sites");
        group.MapPost("", Create);
        group.MapGet("", List);
        group.MapGet("/{site_id}", Get);
        group.MapPut("/{site_id}", ChangeDomain);
        group.MapDelete("/{site_id}", Delete);
        return app;
    }

    static object Json(Site site) => new { domain = site.Domain, timezone = site.TimeZone };

    static async Task<IResult> Create(HttpContext http, ApiKeyService keys, SiteDirectory sites, AccessAudit audit)
    {
        if (BearerToken.From(http.Request) is not { } token)
            return Problems.Unauthorized("Changes through the API need an API key: send it as 'Authorization: Bearer KEY'.");
        if (keys.Verify(token) is not { } key) return Problems.Unauthorized("The API key is not valid.");
        if (key.SiteScope.Length > 0)
            return Problems.Of(StatusCodes.Status403Forbidden, "Forbidden",
                "Registering a site needs a key for every site: the owner's, or one made by 'panorama keys create' without --site.");

        var (fields, invalid) = await Fields(http, "domain", "timezone");
        if (invalid is not null) return invalid;
        var (domain, timeZone) = (fields["domain"], fields["timezone"]);
        var normalized = SiteDomain.Normalize(domain);
        if (normalized is null) return Problems.BadRequest("'domain' must be the site's domain, e.g. shop.example.");
        timeZone = string.IsNullOrWhiteSpace(timeZone) ? "UTC" : timeZone.Trim();
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out _)) return Problems.BadRequest($"'timezone': '{timeZone}' is not an IANA time zone.");
        if (sites.FindByDomain(normalized) is not null) return Problems.BadRequest($"'domain': {normalized} is already registered.");
        var site = sites.Add(normalized, timeZone);
        audit.Record($"API key {key.Prefix}…", "registered site", site.Domain);
        return Results.Ok(Json(site));
    }

    /// <summary>Plausible's domain change: <c>{"domain": "new.example"}</c>. The old domain reaches the site for 72 hours.</summary>
    static async Task<IResult> ChangeDomain(HttpContext http, ApiKeyService keys, SiteDirectory sites, SiteDomainChange change, string site_id)
    {
        var (found, refused) = ForChange(http, keys, sites, site_id, "Changing a site's domain");
        if (refused is not null) return refused;
        var (site, key) = found!.Value;
        var (fields, invalid) = await Fields(http, "domain", "timezone");
        if (invalid is not null) return invalid;
        if (string.IsNullOrWhiteSpace(fields["domain"])) return Problems.BadRequest("'domain' is required: the site's new domain.");
        try
        {
            site = change.Apply(site, fields["domain"]!, $"API key {key.Prefix}…");
        }
        catch (ArgumentException exception)
        {
            return Problems.BadRequest($"'domain': {exception.Message}");
        }
        return Results.Ok(Json(site));
    }

    /// <summary>Plausible's site deletion: the site and all its data (<see cref="SiteDeletion"/>); answers <c>{"deleted": true}</c>.</summary>
    static async Task<IResult> Delete(HttpContext http, ApiKeyService keys, SiteDirectory sites, SiteDeletion deletion, string site_id)
    {
        var (found, refused) = ForChange(http, keys, sites, site_id, "Deleting a site");
        if (refused is not null) return refused;
        var (site, key) = found!.Value;
        await deletion.DeleteAsync(site, $"API key {key.Prefix}…", http.RequestAborted);
        return Results.Ok(new { deleted = true });
    }

    /// <summary>The site a change names and the key it came with: one for every site, as registering needs.</summary>
    internal static ((Site Site, ApiKey Key)? Found, IResult? Refused) ForChange(HttpContext http, ApiKeyService keys, SiteDirectory sites, string siteId, string what)
    {
        if (BearerToken.From(http.Request) is not { } token)
            return (null, Problems.Unauthorized("Changes through the API need an API key: send it as 'Authorization: Bearer KEY'."));
        if (keys.Verify(token) is not { } key) return (null, Problems.Unauthorized("The API key is not valid."));
        if (sites.FindByDomain(SiteDomain.Normalize(siteId) ?? "") is not { } site || !key.CanRead(site.Id))
            return (null, Problems.NotFound($"No site '{siteId}' for this key."));
        if (key.SiteScope.Length > 0)
            return (null, Problems.Forbidden($"{what} needs a key for every site: the owner's, or one made by 'panorama keys create' without --site."));
        return ((site, key), null);
    }

    /// <summary>The named fields of a form or a JSON body (Plausible's clients send either); a query parameter stands in for a missing one.</summary>
    internal static async Task<(Dictionary<string, string?> Fields, IResult? Invalid)> Fields(HttpContext http, params string[] names)
    {
        if (http.Request.ContentLength is 0 || (http.Request.ContentLength is null && http.Request.ContentType is null))
            return (names.ToDictionary(name => name, name => (string?)http.Request.Query[name].FirstOrDefault()), null);
        if (http.Request.HasFormContentType)
        {
            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            return (names.ToDictionary(name => name, name => form[name].FirstOrDefault() ?? http.Request.Query[name].FirstOrDefault()), null);
        }
        try
        {
            if (await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted) is not JsonObject body)
                return ([], Problems.BadRequest("The body must be a JSON object, e.g. {\"domain\": \"shop.example\"}."));
            return (names.ToDictionary(name => name, name => body[name] switch
            {
                JsonValue value => value.ToString(),
                JsonObject or JsonArray => body[name]!.ToJsonString(), // such as a goal's custom_props, read by the caller
                _ => http.Request.Query[name].FirstOrDefault(),
            }), null);
        }
        catch (Exception exception) when (exception is System.Text.Json.JsonException or InvalidOperationException)
        {
            return ([], Problems.BadRequest($"The body is not valid JSON: {exception.Message}"));
        }
    }

    static IResult List(HttpContext http, ApiKeyService keys, SiteDirectory sites)
    {
        if (BearerToken.From(http.Request) is not { } token || keys.Verify(token) is not { } key)
            return Problems.Unauthorized("Send a valid API key as 'Authorization: Bearer KEY'.");
        return Results.Ok(new { sites = sites.All().Where(site => key.CanRead(site.Id)).Select(Json) });
    }

    static IResult Get(HttpContext http, ApiKeyService keys, SiteDirectory sites, string site_id)
    {
        var (site, denied) = StatsAccess.Authorize(http, keys, sites, site_id);
        return denied ?? Results.Ok(Json(site!));
    }
}
