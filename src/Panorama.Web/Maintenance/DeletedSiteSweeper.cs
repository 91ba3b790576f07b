using Panorama.Core.Sites;

namespace Panorama.Web.Maintenance;

/// <summary>
/// Runs each site deletion's second pass (<see cref="SiteDeletion.SweepAsync"/>), checking at start and every
/// <see cref="SiteDeletion.SecondPass"/>, so a pass a stopped node owed is done by the next node or start.
/// </summary>
public sealed class DeletedSiteSweeper(SiteDeletion deletion, TimeProvider time, ILogger<DeletedSiteSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(SiteDeletion.SecondPass, time);
        do
        {
            try
            {
                await deletion.SweepAsync(stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                // The deletion stays unswept and is tried again on the next tick.
                logger.LogWarning(exception, "The second pass over deleted sites failed");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
