using Panorama.Web.Email;

namespace Panorama.Web.Maintenance;

/// <summary>Sends the email reports and spike notifications that are due, every minute on every node (claims keep it to one message).</summary>
public sealed class EmailReportWorker(EmailReportRunner runner, SmtpMailer mailer, TimeProvider time, ILogger<EmailReportWorker> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!mailer.IsConfigured) return;
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await runner.RunAsync(time.GetUtcNow(), stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(exception, "Sending the email reports failed; tried again in a minute");
            }
        }
    }
}
