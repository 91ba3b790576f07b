using Panorama.Core.Ingestion;

namespace Panorama.Web.Health;

/// <summary>Runs the batch writer inside the web process, and drains the queue on shutdown.</summary>
public sealed class IngestionWorker(EventBatchWriter writer, IngestionQueue queue, ILogger<IngestionWorker> logger) : BackgroundService
{
    public bool Faulted { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await writer.RunAsync(stoppingToken);
        }
        catch (Exception exception)
        {
            Faulted = true;
            logger.LogCritical(exception, "The batch writer stopped");
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Requests already queued are written before the process exits.
        queue.Complete();
        await base.StopAsync(cancellationToken);
    }
}
