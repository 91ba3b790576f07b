using Panorama.Storage.DuckDb;

namespace Panorama.Web.Maintenance;

/// <summary>
/// Every hour (first a minute after start), clusters the event store's closed weeks by site, so a site's reports
/// skip the other sites' rows, and adds the days that ended to the page days (DuckDbPageDays.cs). Appends wait while
/// a week is rewritten; ingestion does not (it acknowledges from the spool).
/// </summary>
public sealed class EventCompactionWorker(DuckDbEventStore store, TimeProvider time, ILogger<EventCompactionWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(TimeSpan.FromMinutes(1), time, stoppingToken);
            using var timer = new PeriodicTimer(TimeSpan.FromHours(1), time);
            do
            {
                try
                {
                    var started = time.GetTimestamp();
                    var weeks = await Task.Run(() => store.CompactClosedWeeks(time.GetUtcNow().UtcDateTime), stoppingToken);
                    if (weeks > 0) logger.LogInformation("Clustered {Weeks} closed weeks of events by site in {Elapsed}", weeks, time.GetElapsedTime(started));
                    started = time.GetTimestamp();
                    var rows = await Task.Run(() => store.BuildPageDays(time.GetUtcNow().UtcDateTime), stoppingToken);
                    if (rows > 0) logger.LogInformation("Added {Rows} page-day rows in {Elapsed}", rows, time.GetElapsedTime(started));
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    // Both only speed queries up; a failure leaves the rows as they were (one transaction per week or build).
                    logger.LogWarning(exception, "Clustering events or building page days failed; will try again in an hour");
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
    }
}
