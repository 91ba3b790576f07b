using System.Text.Json.Nodes;
using Panorama.Core.Access;
using Panorama.Core.Goals;
using Panorama.Core.Sites;

namespace Panorama.Web.Stats;

/// <summary>Goals of a site: <c>GET|POST /api/v2/goals?site_id=</c>, <c>PATCH|DELETE /api/v2/goals/{id}?site_id=</c>.</summary>
public static class GoalEndpoints
{
    public static IEndpointRouteBuilder MapGoals(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v2/goals").RequireRateLimiting(PanoramaServer.StatsRateLimit).WithTags("Goals");
        group.MapGet("", List);
        group.MapPost("", Create);
        group.MapPatch("/{id:int}", Rename);
        group.MapDelete("/{id:int}", Delete);
        return app;
    }

    internal static object Json(Goal goal) => new
    {
        id = goal.Id,
        display_name = goal.DisplayName,
        goal_type = goal.IsScroll ? "scroll" : goal.EventName is null ? "page" : "event",
        page_path = goal.PagePath,
        scroll_threshold = goal.ScrollThreshold,
        event_name = goal.EventName,
        currency = goal.Currency,
        custom_props = goal.CustomProps,
        former_names = goal.FormerNameList,
    };

    internal static IResult List(HttpContext http, ApiKeyService keys, SiteDirectory sites, GoalService goals, string? site_id)
    {
        var (site, denied) = StatsAccess.Authorize(http, keys, sites, site_id);
        return denied ?? Results.Ok(new { goals = goals.ForSite(site!.Id).Select(Json) });
    }

    static async Task<IResult> Create(HttpContext http, ApiKeyService keys, SiteDirectory sites, GoalService goals, string? site_id)
    {
        // Changes come with an API key; the web interface changes goals through its own forms (with CSRF tokens).
        var (site, denied) = StatsAccess.Authorize(http, keys, sites, site_id, allowSession: false);
        if (denied is not null) return denied;
        JsonNode? body;
        try
        {
            body = await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted);
        }
        catch (System.Text.Json.JsonException exception)
        {
            return Problems.BadRequest($"The body is not valid JSON: {exception.Message}");
        }
        try
        {
            var goal = goals.Add(site!.Id, (string?)body?["page_path"], (string?)body?["event_name"], (string?)body?["currency"],
                GoalService.ParseCustomProps(body?["custom_props"]?.ToJsonString()), (string?)body?["display_name"], Threshold(body?["scroll_threshold"]?.ToString()));
            return Results.Created($"/api/v2/goals/{goal.Id}?site_id={site.Domain}", Json(goal));
        }
        catch (Exception exception) when (exception is ArgumentException or InvalidOperationException)
        {
            return Problems.BadRequest(exception.Message);
        }
    }

    /// <summary><c>{"display_name": "…"}</c> renames the goal; null or "" gives it its default name again.</summary>
    static async Task<IResult> Rename(HttpContext http, ApiKeyService keys, SiteDirectory sites, GoalService goals, string? site_id, int id)
    {
        var (site, denied) = StatsAccess.Authorize(http, keys, sites, site_id, allowSession: false);
        if (denied is not null) return denied;
        JsonObject? body;
        try
        {
            body = await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted) as JsonObject;
        }
        catch (System.Text.Json.JsonException exception)
        {
            return Problems.BadRequest($"The body is not valid JSON: {exception.Message}");
        }
        if (body is null || !body.ContainsKey("display_name") || body["display_name"] is { } name && name.GetValueKind() != System.Text.Json.JsonValueKind.String)
            return Problems.BadRequest("The body is {\"display_name\": \"…\"}: the goal's new name, or null for its default name.");
        try
        {
            return goals.Rename(site!.Id, id, (string?)body["display_name"]) is { } goal
                ? Results.Ok(Json(goal))
                : Problems.NotFound($"Goal {id} was not found on {site.Domain}.");
        }
        catch (ArgumentException exception)
        {
            return Problems.BadRequest(exception.Message);
        }
    }

    /// <summary>A scroll depth goal's threshold as sent (a number, or its text from a form); null when not sent.</summary>
    internal static int? Threshold(string? text) => string.IsNullOrWhiteSpace(text) ? null
        : int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) && value is >= 1 and <= 100 ? value
        : throw new ArgumentException("'scroll_threshold' is a share of the page from 1 to 100 (%), for a goal with a 'page_path'.");

    static IResult Delete(HttpContext http, ApiKeyService keys, SiteDirectory sites, GoalService goals, string? site_id, int id)
    {
        var (site, denied) = StatsAccess.Authorize(http, keys, sites, site_id, allowSession: false);
        if (denied is not null) return denied;
        return goals.Delete(site!.Id, id) ? Results.NoContent() : Problems.NotFound($"Goal {id} was not found on {site.Domain}.");
    }
}
