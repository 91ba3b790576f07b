using Panorama.Storage.DuckDb;

namespace Panorama.Web.Maintenance;

/// <summary>
/// Every hour (first a minute after start), clusters the event store's closed weeks by site, so a site's reports
/// skip the other sites' rows, adds the days that ended to the page days (DuckDbPageDays.cs) and prunes the midnight
/// pairs no event can use any more (DuckDbMidnightPairs.cs). Appends wait while a week is rewritten; ingestion does not
/// (it acknowledges from the spool).
/// </summary>
public sealed class EventCompactionWorker(DuckDbEventStore store, TimeProvider time, ILogger<EventCompactionWorker> logger) : BackgroundService
{
    // All three only speed queries up; a failure leaves the rows as they were (one transaction per week, build or prune).
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Periodic.RunAsync(TimeSpan.FromMinutes(1), TimeSpan.FromHours(1), time, logger,
        "Clustering events, building page days or pruning midnight pairs failed; will try again in an hour", async token =>
        {
            var started = time.GetTimestamp();
            var weeks = await Task.Run(() => store.CompactClosedWeeks(time.GetUtcNow().UtcDateTime), token);
            if (weeks > 0) logger.LogInformation("Clustered {Weeks} closed weeks of events by site in {Elapsed}", weeks, time.GetElapsedTime(started));
            started = time.GetTimestamp();
            var rows = await Task.Run(() => store.BuildPageDays(time.GetUtcNow().UtcDateTime), token);
            if (rows > 0) logger.LogInformation("Added {Rows} page-day rows in {Elapsed}", rows, time.GetElapsedTime(started));
            var pairs = await Task.Run(() => store.PruneMidnightPairs(time.GetUtcNow().UtcDateTime), token);
            if (pairs > 0) logger.LogInformation("Pruned {Pairs} midnight pairs stored over a week ago", pairs);
        }, stoppingToken);
}
