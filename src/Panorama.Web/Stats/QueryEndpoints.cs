using System.Text.Json;
using System.Text.Json.Nodes;
using Panorama.Core.Access;
using Panorama.Core.Goals;
using Panorama.Core.Ingestion;
using Panorama.Core.Reports.Query;
using Panorama.Core.Sites;

namespace Panorama.Web.Stats;

/// <summary><c>POST /api/v2/query</c>: Plausible's Stats API v2 request and response shapes; <c>?format=csv</c> for CSV.</summary>
public static class QueryEndpoints
{
    public static IEndpointRouteBuilder MapQuery(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v2/query", PostQuery).RequireRateLimiting(PanoramaServer.StatsRateLimit).WithTags("Stats")
            .WithSummary("Plausible Stats API v2 query; ?format=csv for CSV");
        return app;
    }

    static async Task<IResult> PostQuery(HttpContext http, ApiKeyService keys, SiteDirectory sites, GoalService goals, SavedViews views, QueryService queries,
        IQueryEngine engine, EventBatchWriter writer, TimeProvider time, string? format)
    {
        var (request, site, error) = await JsonRequest.ReadAsync(http, keys, sites);
        if (error is not null) return error;

        StatsQuery query;
        try
        {
            using var document = JsonDocument.Parse(request!.ToJsonString());
            var firstDay = await engine.FirstDayAsync(site!.Id, http.RequestAborted);
            query = QueryParser.Parse(document.RootElement, site, goals.ForSite(site.Id), time.GetUtcNow(), firstDay, views.For(site.Id, SavedViewKind.Segment));
        }
        catch (QueryParser.QueryException exception)
        {
            return QueryError(exception.Message);
        }
        await writer.WaitUntilStoredAsync(http.RequestAborted);
        var response = await queries.RunAsync(query, http.RequestAborted);
        if (format == "csv")
            return Results.Text(QueryJson.Csv(response), "text/csv; charset=utf-8");
        return Results.Json(QueryJson.Write(response, request!.DeepClone().AsObject()));
    }

    /// <summary>A 400 problem that also carries Plausible's <c>error</c> field, so its clients show the message.</summary>
    public static IResult QueryError(string message) => Results.Problem(
        statusCode: StatusCodes.Status400BadRequest, title: "Invalid query", detail: message,
        extensions: new Dictionary<string, object?> { ["error"] = message });
}
