using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using Panorama.Core.Ingestion;

namespace Panorama.Web.Health;

/// <summary><c>/healthz</c> for load balancers and <c>/metrics</c> in Prometheus' text format for operators.</summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", (IngestionQueue queue, IngestionWorker worker, EventBatchWriter writer, EventSpool spool, IOptions<PanoramaOptions> options) =>
        {
            if (worker.Faulted)
                return Results.Json(new { status = "unhealthy", reason = "the batch writer stopped" }, statusCode: StatusCodes.Status503ServiceUnavailable);
            if (spool.Bytes >= options.Value.Ingestion.MaxSpoolBytes)
                return Results.Json(new { status = "unhealthy", reason = "the local spool is full; ingestion answers 503", event_store_error = writer.StoreError, spool_bytes = spool.Bytes },
                    statusCode: StatusCodes.Status503ServiceUnavailable);
            // Still taking events (into the spool), so still healthy for a load balancer, but say so.
            if (writer.StoreError is { } error)
                return Results.Json(new { status = "degraded", reason = "the event store is not taking events; they wait in the local spool", event_store_error = error, spool_bytes = spool.Bytes });
            return Results.Json(new { status = "ok", queue_depth = queue.Depth });
        });
        app.MapGet("/metrics", (IngestionQueue queue, EventBatchWriter writer, EventSpool spool, IOptions<PanoramaOptions> options,
            Panorama.Core.Sites.DeletedSiteEvents deletedSites, Maintenance.RetentionWorker retention, Email.SmtpMailer mailer) =>
        {
            var text = new StringBuilder();
            void Gauge(string name, string help, long value) =>
                text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}\n");
            void Metric(string name, string help, long value) =>
                text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} counter\n{name} {value}\n");
            Metric("panorama_events_accepted_total", "Events committed to the event store.", queue.Accepted);
            Metric("panorama_events_dropped_total", "Events answered 2xx but not stored (bots, referrer spam).", queue.Dropped);
            Metric("panorama_events_of_deleted_sites_dropped_total", "Events of deleted sites dropped when loaded (accepted by a node before it forgot the site, or replayed).", deletedSites.Dropped);
            Metric("panorama_events_deleted_by_retention_total", "Events this node deleted for being older than Panorama:Events:RetentionMonths.", retention.Deleted);
            Metric("panorama_emails_sent_total", "Email reports and notifications the SMTP server took from this node.", mailer.Counts.Sent);
            Metric("panorama_emails_failed_total", "Email reports and notifications this node could not hand to the SMTP server (tried again).", mailer.Counts.Failed);
            Metric("panorama_batches_written_total", "Batches committed by the batch writer.", writer.Batches);
            Gauge("panorama_spool_bytes", "Bytes of acknowledged events in the local spool.", spool.Bytes);
            Gauge("panorama_spool_limit_bytes", "Spool bytes beyond which ingestion answers 503.", options.Value.Ingestion.MaxSpoolBytes);
            Gauge("panorama_event_store_up", "1 while the event store takes batches, 0 while it refuses them.", writer.StoreError is null ? 1 : 0);
            Gauge("panorama_events_not_yet_stored", "Acknowledged events not yet loaded into the event store.", writer.Lag);
            Gauge("panorama_ingestion_queue_depth", "Requests waiting for the batch writer.", queue.Depth);
            return Results.Text(text.ToString(), "text/plain; version=0.0.4");
        });
        return app;
    }
}
