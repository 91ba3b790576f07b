using System.Globalization;
using System.Text;
using Panorama.Core.Ingestion;

namespace Panorama.Web.Health;

/// <summary><c>/healthz</c> for load balancers and <c>/metrics</c> in Prometheus' text format for operators.</summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", (IngestionQueue queue, IngestionWorker worker) => worker.Faulted
            ? Results.Json(new { status = "unhealthy", reason = "the batch writer stopped" }, statusCode: StatusCodes.Status503ServiceUnavailable)
            : Results.Json(new { status = "ok", queue_depth = queue.Depth }));
        app.MapGet("/metrics", (IngestionQueue queue, EventBatchWriter writer, EventSpool spool) =>
        {
            var text = new StringBuilder();
            void Gauge(string name, string help, long value) =>
                text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}\n");
            void Metric(string name, string help, long value) =>
                text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} counter\n{name} {value}\n");
            Metric("panorama_events_accepted_total", "Events committed to the event store.", queue.Accepted);
            Metric("panorama_events_dropped_total", "Events answered 2xx but not stored (bots, referrer spam).", queue.Dropped);
            Metric("panorama_batches_written_total", "Batches committed by the batch writer.", writer.Batches);
            Gauge("panorama_spool_bytes", "Bytes of acknowledged events in the local spool.", spool.Bytes);
            Gauge("panorama_events_not_yet_stored", "Acknowledged events not yet loaded into the event store.", writer.Lag);
            Gauge("panorama_ingestion_queue_depth", "Requests waiting for the batch writer.", queue.Depth);
            return Results.Text(text.ToString(), "text/plain; version=0.0.4");
        });
        return app;
    }
}
