namespace Panorama.Web.Maintenance;

/// <summary>
/// The loop every maintenance worker runs: the work once after <c>first</c> (zero: at once), then every <c>interval</c>,
/// until shutdown. A failed round is logged and the next one tries again, so one bad round stops nothing.
/// </summary>
static class Periodic
{
    public static async Task RunAsync(TimeSpan first, TimeSpan interval, TimeProvider time, ILogger logger, string failure,
        Func<CancellationToken, Task> work, CancellationToken stoppingToken)
    {
        try
        {
            if (first > TimeSpan.Zero) await Task.Delay(first, time, stoppingToken);
            using var timer = new PeriodicTimer(interval, time);
            do
            {
                try
                {
                    await work(stoppingToken);
                }
                catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning(exception, "{Failure}", failure);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }
}
