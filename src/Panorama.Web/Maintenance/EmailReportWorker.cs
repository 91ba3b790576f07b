using Panorama.Web.Email;

namespace Panorama.Web.Maintenance;

/// <summary>Sends the email reports and spike notifications that are due, every minute on every node (claims keep it to one message).</summary>
public sealed class EmailReportWorker(EmailReportRunner runner, SmtpMailer mailer, TimeProvider time, ILogger<EmailReportWorker> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => mailer.IsConfigured
        ? Periodic.RunAsync(Interval, Interval, time, logger, "Sending the email reports failed; tried again in a minute",
            token => runner.RunAsync(time.GetUtcNow(), token), stoppingToken)
        : Task.CompletedTask;
}
