using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Panorama.Core.Access;
using Panorama.Core.Goals;
using Panorama.Core.Ingestion;
using Panorama.Core.Reports.Query;
using Panorama.Core.Sites;

namespace Panorama.Web.Stats;

/// <summary>
/// <c>GET /api/v2/export?site_id=&amp;date_range=30d[&amp;filters=…]</c>: a ZIP of every standard report for the period, as CSV
/// files; <c>filters</c> is the query API's filter list as JSON, so the dashboard exports what it shows.
/// </summary>
public static class ExportEndpoints
{
    static readonly (string File, string Dimension, string Metrics)[] Reports =
    [
        ("visitors.csv", "time:day", "\"visitors\",\"visits\",\"pageviews\",\"views_per_visit\",\"bounce_rate\",\"visit_duration\""),
        ("pages.csv", "event:page", "\"visitors\",\"pageviews\""),
        ("entry_pages.csv", "visit:entry_page", "\"visitors\",\"visits\",\"bounce_rate\",\"visit_duration\""),
        ("exit_pages.csv", "visit:exit_page", "\"visitors\",\"visits\""),
        ("sources.csv", "visit:source", "\"visitors\",\"visits\",\"bounce_rate\",\"visit_duration\""),
        ("channels.csv", "visit:channel", "\"visitors\",\"visits\",\"bounce_rate\",\"visit_duration\""),
        ("referrers.csv", "visit:referrer", "\"visitors\",\"visits\""),
        ("utm_sources.csv", "visit:utm_source", "\"visitors\",\"visits\",\"bounce_rate\""),
        ("utm_mediums.csv", "visit:utm_medium", "\"visitors\",\"visits\",\"bounce_rate\""),
        ("utm_campaigns.csv", "visit:utm_campaign", "\"visitors\",\"visits\",\"bounce_rate\""),
        ("countries.csv", "visit:country_name", "\"visitors\",\"visits\""),
        ("devices.csv", "visit:device", "\"visitors\",\"visits\""),
        ("browsers.csv", "visit:browser", "\"visitors\",\"visits\""),
        ("operating_systems.csv", "visit:os", "\"visitors\",\"visits\""),
        ("screen_sizes.csv", "visit:screen", "\"visitors\",\"visits\""),
        ("goals.csv", "event:goal", "\"visitors\",\"events\",\"conversion_rate\""),
    ];

    public static IEndpointRouteBuilder MapExport(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v2/export", Export).RequireRateLimiting(PanoramaServer.StatsRateLimit).WithTags("Stats")
            .WithSummary("ZIP of every standard report as CSV");
        return app;
    }

    static async Task<IResult> Export(HttpContext http, ApiKeyService keys, SiteDirectory sites, GoalService goals, SavedViews views, QueryService queries,
        IQueryEngine engine, EventBatchWriter writer, TimeProvider time, string? site_id, string? date_range, string? filters)
    {
        var (site, denied) = StatsAccess.Authorize(http, keys, sites, site_id);
        if (denied is not null) return denied;
        var filtersJson = "[]";
        if (!string.IsNullOrWhiteSpace(filters))
        {
            try
            {
                if (System.Text.Json.Nodes.JsonNode.Parse(filters) is not System.Text.Json.Nodes.JsonArray list) return QueryEndpoints.QueryError("'filters' must be a JSON array of filters, as in the query API.");
                filtersJson = list.ToJsonString();
            }
            catch (JsonException exception)
            {
                return QueryEndpoints.QueryError($"'filters' is not valid JSON: {exception.Message}");
            }
        }
        var siteGoals = goals.ForSite(site!.Id);
        var firstDay = await engine.FirstDayAsync(site.Id, http.RequestAborted);
        var range = date_range ?? "30d";
        var rangeJson = range.Contains(',') ? JsonSerializer.Serialize(range.Split(',')) : JsonSerializer.Serialize(range);
        var segments = views.For(site.Id, SavedViewKind.Segment);
        StatsQuery Parse(string metrics, string? dimension)
        {
            using var document = JsonDocument.Parse($$"""{"metrics": [{{metrics}}], "date_range": {{rangeJson}}, "filters": {{filtersJson}}{{(dimension is null ? "" : $", \"dimensions\": [\"{dimension}\"]")}}}""");
            return QueryParser.Parse(document.RootElement, site, siteGoals, time.GetUtcNow(), firstDay, segments);
        }
        try
        {
            // A bad range or filter is the request's fault: one 400 for it, before any report.
            Parse("\"visitors\"", null);
        }
        catch (QueryParser.QueryException exception)
        {
            return QueryEndpoints.QueryError(exception.Message);
        }
        await writer.WaitUntilStoredAsync(http.RequestAborted);

        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (file, dimension, metrics) in Reports)
            {
                if (dimension == "event:goal" && siteGoals.Count == 0) continue;
                StatsQuery query;
                try
                {
                    query = Parse(metrics, dimension);
                }
                catch (QueryParser.QueryException)
                {
                    // A report the filters rule out (views per visit under a goal filter) is left out of the ZIP.
                    continue;
                }
                var response = await queries.RunAsync(query, http.RequestAborted);
                var entry = zip.CreateEntry(file, CompressionLevel.Optimal);
                await using var stream = entry.Open();
                await stream.WriteAsync(Encoding.UTF8.GetBytes(QueryJson.Csv(response)), http.RequestAborted);
            }
        }
        return Results.File(buffer.ToArray(), "application/zip", $"{site.Domain}-{range.Replace(',', '_')}.zip");
    }
}
