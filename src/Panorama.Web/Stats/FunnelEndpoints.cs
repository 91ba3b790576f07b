using System.Text.Json;
using System.Text.Json.Nodes;
using Panorama.Core.Access;
using Panorama.Core.Goals;
using Panorama.Core.Ingestion;
using Panorama.Core.Reports.Query;
using Panorama.Core.Sites;

namespace Panorama.Web.Stats;

/// <summary>
/// <c>POST /api/v2/funnel</c>: <c>{site_id, date_range, filters?, steps: [{page}|{event}|{goal}, …]}</c> with 2–8 steps
/// completed in order inside one visit; per step the visitors who reached it, conversion and drop-off.
/// </summary>
public static class FunnelEndpoints
{
    public static IEndpointRouteBuilder MapFunnels(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v2/funnel", PostFunnel).RequireRateLimiting(PanoramaServer.StatsRateLimit).WithTags("Stats")
            .WithSummary("Funnel of 2–8 ordered steps within a visit");
        return app;
    }

    static async Task<IResult> PostFunnel(HttpContext http, ApiKeyService keys, SiteDirectory sites, GoalService goals, SavedViews views, IQueryEngine engine,
        EventBatchWriter writer, TimeProvider time)
    {
        var (request, site, error) = await JsonRequest.ReadAsync(http, keys, sites);
        if (error is not null) return error;
        var siteGoals = goals.ForSite(site!.Id);

        if (request!["steps"] is not JsonArray stepsJson || stepsJson.Count is < FunnelCalculator.MinSteps or > FunnelCalculator.MaxSteps)
            return QueryEndpoints.QueryError($"#/steps must list {FunnelCalculator.MinSteps} to {FunnelCalculator.MaxSteps} steps.");
        var steps = new List<FunnelStep>();
        for (var i = 0; i < stepsJson.Count; i++)
        {
            var step = stepsJson[i] as JsonObject;
            if (step is null || step.Any(field => field.Value is not null && !Text(field.Value)))
                return QueryEndpoints.QueryError($"#/steps/{i} must be an object of text fields: one of 'page', 'event' or 'goal', and a 'label'.");
            var page = (string?)step["page"];
            var eventName = (string?)step["event"];
            var goalName = (string?)step["goal"];
            if (new[] { page, eventName, goalName }.Count(v => !string.IsNullOrEmpty(v)) != 1)
                return QueryEndpoints.QueryError($"#/steps/{i} must have exactly one of 'page', 'event' or 'goal'.");
            if (page is not null && !page.StartsWith('/')) return QueryEndpoints.QueryError($"#/steps/{i}/page must start with '/'.");
            Goal? goal = null;
            if (goalName is not null && (goal = siteGoals.FirstOrDefault(g => g.IsCalled(goalName))) is null)
                return QueryEndpoints.QueryError($"#/steps/{i}/goal: '{goalName}' is not configured for this site.");
            var label = (string?)step["label"] ?? goal?.DisplayName ?? (page is not null ? "Visit " + page : eventName!);
            steps.Add(new FunnelStep(label, page, eventName, goal));
        }

        StatsQuery query;
        try
        {
            var parsed = new JsonObject { ["metrics"] = new JsonArray("visitors"), ["date_range"] = request["date_range"]?.DeepClone() };
            if (request["filters"] is { } filters) parsed["filters"] = filters.DeepClone();
            using var document = JsonDocument.Parse(parsed.ToJsonString());
            query = QueryParser.Parse(document.RootElement, site, siteGoals, time.GetUtcNow(), await engine.FirstDayAsync(site.Id, http.RequestAborted),
                views.For(site.Id, SavedViewKind.Segment));
        }
        catch (QueryParser.QueryException exception)
        {
            return QueryEndpoints.QueryError(exception.Message);
        }

        await writer.WaitUntilStoredAsync(http.RequestAborted);
        var store = new StoreQuery
        {
            SiteId = site.Id, TimeZone = query.TimeZone, Range = query.Range, Metrics = [Metric.Visitors], Filter = query.Filter, Goals = siteGoals,
        };
        var reach = await engine.FunnelReachAsync(store, steps, http.RequestAborted);
        var results = FunnelCalculator.Summarize(steps, reach);
        return Results.Ok(new
        {
            site_id = site.Domain,
            definition = "Visitors who completed the steps in this order within one visit that started in the period; other events may come between steps.",
            steps = results.Select(r => new
            {
                label = r.Label,
                visitors = r.Visitors,
                conversion_rate = r.ConversionRate,
                conversion_rate_step = r.ConversionRateFromPrevious,
                dropoff = r.Dropoff,
                dropoff_percentage = r.DropoffPercentage,
            }),
        });
    }

    static bool Text(JsonNode node) => node is JsonValue value && value.GetValueKind() == System.Text.Json.JsonValueKind.String;
}
