using System.Text.Json;
using System.Text.Json.Nodes;
using Panorama.Core.Access;
using Panorama.Core.Sites;

namespace Panorama.Web.Stats;

/// <summary>Reads a JSON object body naming a <c>site_id</c>, and authorises the request's key for that site.</summary>
static class JsonRequest
{
    public static async Task<(JsonObject? Body, Site? Site, IResult? Error)> ReadAsync(HttpContext http, ApiKeyService keys, SiteDirectory sites)
    {
        JsonNode? body;
        try
        {
            body = await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted);
        }
        catch (JsonException exception)
        {
            return (null, null, QueryEndpoints.QueryError($"The body is not valid JSON: {exception.Message}"));
        }
        if (body is not JsonObject request) return (null, null, QueryEndpoints.QueryError("The body must be a JSON object."));
        var siteId = request["site_id"]?.GetValueKind() == JsonValueKind.String ? (string?)request["site_id"] : null;
        var (site, denied) = StatsAccess.Authorize(http, keys, sites, siteId);
        return denied is null ? (request, site, null) : (null, null, denied);
    }
}
