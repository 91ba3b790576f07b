using Panorama.Core.Sites;

namespace Panorama.Web.Maintenance;

/// <summary>
/// Runs each site deletion's second pass (<see cref="SiteDeletion.SweepAsync"/>), checking at start and every
/// <see cref="SiteDeletion.SecondPass"/>, so a pass a stopped node owed is done by the next node or start.
/// </summary>
public sealed class DeletedSiteSweeper(SiteDeletion deletion, TimeProvider time, ILogger<DeletedSiteSweeper> logger) : BackgroundService
{
    // The deletion stays unswept and is tried again on the next tick.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Periodic.RunAsync(TimeSpan.Zero, SiteDeletion.SecondPass, time, logger,
        "The second pass over deleted sites failed", deletion.SweepAsync, stoppingToken);
}
