using Panorama.Core.Access;
using Panorama.Core.Goals;
using Panorama.Core.Sites;

namespace Panorama.Web.Stats;

/// <summary>
/// Goals in Plausible's Sites API shape, for the clients and provisioning tools written against it:
/// <c>GET /api/v1/sites/goals?site_id=</c>, <c>PUT /api/v1/sites/goals</c> (find or create) and
/// <c>DELETE /api/v1/sites/goals/{goal_id}</c>. The same goals as <c>/api/v2/goals</c>, with the same rights.
/// </summary>
public static class SiteGoalEndpoints
{
    public static IEndpointRouteBuilder MapSiteGoals(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/sites/goals").RequireRateLimiting(PanoramaServer.StatsRateLimit).WithTags("Sites");
        group.MapGet("", GoalEndpoints.List).WithSummary("A site's goals (Plausible's Sites API)");
        group.MapPut("", FindOrCreate).WithSummary("Find or create a goal: {site_id, goal_type: event|page|scroll, event_name | page_path, scroll_threshold?, custom_props?, display_name?}");
        group.MapDelete("/{goal_id:int}", Delete).WithSummary("Delete a goal: {site_id}");
        return app;
    }

    static async Task<IResult> FindOrCreate(HttpContext http, ApiKeyService keys, SiteDirectory sites, GoalService goals)
    {
        var (fields, invalid) = await SiteEndpoints.Fields(http, "site_id", "goal_type", "event_name", "page_path", "currency", "custom_props", "display_name",
            "scroll_threshold");
        if (invalid is not null) return invalid;
        if (string.IsNullOrWhiteSpace(fields["site_id"])) return Problems.BadRequest("Parameter `site_id` is required to create a goal.");
        var (site, denied) = StatsAccess.Authorize(http, keys, sites, fields["site_id"], allowSession: false);
        if (denied is not null) return denied;
        var type = fields["goal_type"];
        if (type is not ("event" or "page" or "scroll"))
            return Problems.BadRequest("Parameter `goal_type` is required: \"event\" (with `event_name`), \"page\" (with `page_path`) or \"scroll\" (with `page_path` and `scroll_threshold`).");
        string? page = type is "page" or "scroll" ? fields["page_path"] : null, eventName = type == "event" ? fields["event_name"] : null;
        if (string.IsNullOrWhiteSpace(page ?? eventName))
            return Problems.BadRequest(type == "event" ? "Parameter `event_name` is required for an event goal." : $"Parameter `page_path` is required for a {type} goal.");
        if (type == "scroll" && string.IsNullOrWhiteSpace(fields["scroll_threshold"]))
            return Problems.BadRequest("Parameter `scroll_threshold` (1 to 100) is required for a scroll goal.");
        try
        {
            return Results.Ok(GoalEndpoints.Json(goals.Add(site!.Id, page, eventName, fields["currency"],
                GoalService.ParseCustomProps(fields["custom_props"]), fields["display_name"], type == "scroll" ? GoalEndpoints.Threshold(fields["scroll_threshold"]) : null)));
        }
        catch (ArgumentException exception)
        {
            return Problems.BadRequest(exception.Message);
        }
    }

    static async Task<IResult> Delete(HttpContext http, ApiKeyService keys, SiteDirectory sites, GoalService goals, int goal_id)
    {
        var (fields, invalid) = await SiteEndpoints.Fields(http, "site_id");
        if (invalid is not null) return invalid;
        if (string.IsNullOrWhiteSpace(fields["site_id"])) return Problems.BadRequest("Parameter `site_id` is required to delete a goal.");
        var (site, denied) = StatsAccess.Authorize(http, keys, sites, fields["site_id"], allowSession: false);
        if (denied is not null) return denied;
        return goals.Delete(site!.Id, goal_id) ? Results.Ok(new { deleted = true }) : Problems.NotFound("Goal could not be found.");
    }
}
