using Panorama.Core.Privacy;

namespace Panorama.Web.Privacy;

/// <summary>Deletes daily salts 48 hours after they were made, checking every ten minutes.</summary>
public sealed class SaltCleanupWorker(SaltStore salts, TimeProvider time, ILogger<SaltCleanupWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(10), time);
        do
        {
            var deleted = salts.DeleteExpired();
            if (deleted > 0) logger.LogInformation("Deleted {Count} expired salts", deleted);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
