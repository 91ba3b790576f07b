using System.Text.Json;
using Panorama.Core.Access;
using Panorama.Core.Ingestion;
using Panorama.Core.Reports;
using Panorama.Core.Reports.Query;
using Panorama.Core.Sites;

namespace Panorama.Web.Stats;

/// <summary>
/// Realtime: visitors in the last 5 minutes (<c>GET /api/v2/realtime/visitors</c>, also at Plausible's v1 path) and a
/// live stream of events as Server-Sent Events (<c>GET /api/v2/realtime/stream</c>; EventSource cannot send headers,
/// so the key may come as <c>?api_key=</c>).
/// </summary>
public static class RealtimeEndpoints
{
    static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    public static IEndpointRouteBuilder MapRealtime(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v2/realtime/visitors", Visitors).RequireRateLimiting(PanoramaServer.StatsRateLimit).WithTags("Realtime");
        app.MapGet("/api/v1/stats/realtime/visitors", Visitors).RequireRateLimiting(PanoramaServer.StatsRateLimit).WithTags("Realtime");
        app.MapGet("/api/v2/realtime/stream", Stream).WithTags("Realtime").WithSummary("Server-Sent Events of new events; ?api_key= accepted");
        return app;
    }

    static async Task<IResult> Visitors(HttpContext http, ApiKeyService keys, SiteDirectory sites, IQueryEngine engine, EventBatchWriter writer,
        TimeProvider time, string? site_id)
    {
        var (site, denied) = StatsAccess.Authorize(http, keys, sites, site_id);
        if (denied is not null) return denied;
        await writer.WaitUntilStoredAsync(http.RequestAborted);
        var now = time.GetUtcNow().UtcDateTime;
        var result = await engine.QueryAsync(new StoreQuery
        {
            SiteId = site!.Id, TimeZone = TimeZoneInfo.Utc, Range = new DateRange(now - Window, now.AddSeconds(1)), Metrics = [Metric.Visitors],
        }, http.RequestAborted);
        return Results.Json(result.Rows.Count == 0 ? 0L : (long)result.Rows[0].Metrics[Metric.Visitors]!);
    }

    static async Task Stream(HttpContext http, ApiKeyService keys, SiteDirectory sites, LiveEvents live, string? site_id, string? api_key)
    {
        if (api_key is not null && !http.Request.Headers.ContainsKey("Authorization")) http.Request.Headers.Authorization = "Bearer " + api_key;
        var (site, denied) = StatsAccess.Authorize(http, keys, sites, site_id);
        if (denied is not null)
        {
            await denied.ExecuteAsync(http);
            return;
        }
        http.Response.Headers.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        var (id, reader) = live.Subscribe(site!.Id);
        try
        {
            await http.Response.WriteAsync(": connected\n\n", http.RequestAborted);
            await http.Response.Body.FlushAsync(http.RequestAborted);
            using var heartbeat = new PeriodicTimer(TimeSpan.FromSeconds(15));
            var next = reader.WaitToReadAsync(http.RequestAborted).AsTask();
            var tick = heartbeat.WaitForNextTickAsync(http.RequestAborted).AsTask();
            while (!http.RequestAborted.IsCancellationRequested)
            {
                var done = await Task.WhenAny(next, tick);
                if (done == tick)
                {
                    await http.Response.WriteAsync(": ping\n\n", http.RequestAborted);
                    tick = heartbeat.WaitForNextTickAsync(http.RequestAborted).AsTask();
                }
                else
                {
                    if (!await next) break;
                    while (reader.TryRead(out var e))
                    {
                        var data = JsonSerializer.Serialize(new
                        {
                            name = e.Name, page = e.Pathname, source = e.Source, country = e.Country, device = e.Device, browser = e.Browser,
                            timestamp = DateTime.SpecifyKind(e.Timestamp, DateTimeKind.Utc),
                        });
                        await http.Response.WriteAsync($"event: {(e.Name == EnrichedEvent.Pageview ? "pageview" : "event")}\ndata: {data}\n\n", http.RequestAborted);
                    }
                    next = reader.WaitToReadAsync(http.RequestAborted).AsTask();
                }
                await http.Response.Body.FlushAsync(http.RequestAborted);
            }
        }
        catch (OperationCanceledException)
        {
            // The client went away.
        }
        finally
        {
            live.Unsubscribe(id);
        }
    }
}
