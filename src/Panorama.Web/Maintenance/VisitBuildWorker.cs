using Panorama.Storage.ClickHouse;

namespace Panorama.Web.Maintenance;

/// <summary>
/// With ClickHouse, builds the visits of hours that have passed every <c>VisitBuildSeconds</c>: at start every hour
/// since each site's first event, then the last three days (an older hour that late events made stale is cut at query
/// time, exactly, until the next start rebuilds it). Several nodes may all run it; only the latest build of an hour counts.
/// </summary>
public sealed class VisitBuildWorker(ClickHouseEventStore store, TimeProvider time, ILogger<VisitBuildWorker> logger) : BackgroundService
{
    // Reports cut the visits of unbuilt hours themselves, so a failed round (a shard down) only slows them down.
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var options = store.Options;
        var interval = TimeSpan.FromSeconds(options.VisitBuildSeconds);
        DateTime? since = null;
        return Periodic.RunAsync(interval, interval, time, logger, "Building visits failed; will try again", async token =>
        {
            var now = time.GetUtcNow().UtcDateTime;
            var started = time.GetTimestamp();
            var hours = await store.Visits.BuildAsync(now.AddSeconds(-options.VisitBuildDelaySeconds), since, token);
            if (hours > 0) logger.LogInformation("Built the visits of {Hours} hours in {Elapsed}", hours, time.GetElapsedTime(started));
            since = now.AddDays(-3);
        }, stoppingToken);
    }
}
