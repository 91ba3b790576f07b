using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Panorama.Core.Access;
using Panorama.Core.Goals;
using Panorama.Core.Ingestion;
using Panorama.Core.Reports.Query;
using Panorama.Core.Sites;

namespace Panorama.Web.Stats;

/// <summary><c>GET /api/v2/export?site_id=&amp;date_range=30d</c>: a ZIP of every standard report for the period, as CSV files.</summary>
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

    static async Task<IResult> Export(HttpContext http, ApiKeyService keys, SiteDirectory sites, GoalService goals, QueryService queries,
        IQueryEngine engine, EventBatchWriter writer, TimeProvider time, string? site_id, string? date_range)
    {
        var (site, denied) = StatsAccess.Authorize(http, keys, sites, site_id);
        if (denied is not null) return denied;
        var siteGoals = goals.ForSite(site!.Id);
        var firstDay = await engine.FirstDayAsync(site.Id, http.RequestAborted);
        var range = date_range ?? "30d";
        var rangeJson = range.Contains(',') ? JsonSerializer.Serialize(range.Split(',')) : JsonSerializer.Serialize(range);
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
                    using var document = JsonDocument.Parse($$"""{"metrics": [{{metrics}}], "date_range": {{rangeJson}}, "dimensions": ["{{dimension}}"]}""");
                    query = QueryParser.Parse(document.RootElement, site, siteGoals, time.GetUtcNow(), firstDay);
                }
                catch (QueryParser.QueryException exception)
                {
                    return QueryEndpoints.QueryError(exception.Message);
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
