using Microsoft.Extensions.Options;
using Panorama.Core.Ingestion;

namespace Panorama.Web.Maintenance;

/// <summary>
/// Deletes events older than <c>Panorama:Events:RetentionMonths</c> whole months, at start and every six hours (a month's
/// events go once its last day is that far behind). Several nodes may run it at once: each deletes what is still there.
/// </summary>
public sealed class RetentionWorker(IEventSink store, IOptions<PanoramaOptions> options, TimeProvider time, ILogger<RetentionWorker> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(6);

    long deletedEvents;

    /// <summary>Events this node's runs deleted so far (for /metrics).</summary>
    public long Deleted => Interlocked.Read(ref deletedEvents);

    // A failed round is tried again on the next tick; reports meanwhile still show the older months.
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var months = options.Value.Events.RetentionMonths;
        if (months <= 0) return Task.CompletedTask;
        return Periodic.RunAsync(TimeSpan.Zero, Interval, time, logger, "Deleting the events before the retention cutoff failed", async token =>
        {
            var cutoff = EventRetention.Cutoff(time.GetUtcNow(), months);
            var deleted = await store.DeleteBeforeAsync(cutoff, token);
            Interlocked.Add(ref deletedEvents, deleted);
            if (deleted > 0) logger.LogInformation("Deleted {Count} events before {Cutoff:yyyy-MM-dd} ({Months}-month retention)", deleted, cutoff, months);
        }, stoppingToken);
    }
}
