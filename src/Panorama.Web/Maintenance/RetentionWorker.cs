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

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var months = options.Value.Events.RetentionMonths;
        if (months <= 0) return;
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            var cutoff = EventRetention.Cutoff(time.GetUtcNow(), months);
            try
            {
                var deleted = await store.DeleteBeforeAsync(cutoff, stoppingToken);
                Interlocked.Add(ref deletedEvents, deleted);
                if (deleted > 0) logger.LogInformation("Deleted {Count} events before {Cutoff:yyyy-MM-dd} ({Months}-month retention)", deleted, cutoff, months);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                // Tried again on the next tick; reports meanwhile still show the older months.
                logger.LogWarning(exception, "Deleting the events before {Cutoff:yyyy-MM-dd} failed", cutoff);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
