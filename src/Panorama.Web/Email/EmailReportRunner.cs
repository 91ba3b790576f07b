using Panorama.Core.EmailReports;
using Panorama.Core.Sites;

namespace Panorama.Web.Email;

/// <summary>
/// Sends what is due: each subscription's latest weekly or monthly report not sent yet (one a period, however long the server
/// was down), and spike notifications. A delivery row is claimed before sending, so two nodes never send one report twice; a
/// message the SMTP server refuses gives its claim back, to be tried on the next run.
/// </summary>
public sealed class EmailReportRunner(EmailSubscriptions subscriptions, SiteDirectory sites, SiteReports reports, ReportEmail emails, SmtpMailer mailer,
    ILogger<EmailReportRunner> logger)
{
    /// <summary>Returns the messages sent.</summary>
    public async Task<int> RunAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!mailer.IsConfigured) return 0;
        var sent = 0;
        foreach (var group in subscriptions.All().GroupBy(s => s.SiteId))
        {
            if (sites.FindById(group.Key) is not { } site) continue;
            sent += await ReportsAsync(site, [.. group.Where(s => s.Kind != EmailReportKind.Spike)], now, cancellationToken);
            sent += await SpikesAsync(site, [.. group.Where(s => s.Kind == EmailReportKind.Spike)], now, cancellationToken);
        }
        return sent;
    }

    /// <summary>Sends the latest report (or, for a spike subscription, the current numbers) now, outside the schedule.</summary>
    public async Task SendNowAsync(Site site, EmailSubscription subscription, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var message = subscription.Kind == EmailReportKind.Spike
            ? emails.Spike(await reports.SpikeAsync(site, await reports.CurrentVisitorsAsync(site, cancellationToken), cancellationToken), subscription)
            : emails.Report(await reports.ReportAsync(site, Latest(site, subscription.Kind, now), cancellationToken), subscription);
        await mailer.SendAsync(message, cancellationToken);
    }

    static ReportPeriod Latest(Site site, EmailReportKind kind, DateTimeOffset now) =>
        ReportPeriod.Latest(kind, TimeZoneInfo.FindSystemTimeZoneById(site.TimeZone), now);

    async Task<int> ReportsAsync(Site site, List<EmailSubscription> group, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // A subscription starts with the first report due after it was made.
        var due = group.Select(s => (Subscription: s, Period: Latest(site, s.Kind, now))).Where(d => d.Period.DueAt >= d.Subscription.CreatedAt).ToList();
        var done = subscriptions.Delivered([.. due.Select(d => (d.Subscription.Id, d.Period.Key))]);
        var built = new Dictionary<EmailReportKind, SiteReport>();
        var sent = 0;
        foreach (var (subscription, period) in due)
        {
            if (done.Contains((subscription.Id, period.Key)) || !subscriptions.Claim(subscription.Id, period.Key, now)) continue;
            try
            {
                if (!built.TryGetValue(subscription.Kind, out var report)) built[subscription.Kind] = report = await reports.ReportAsync(site, period, cancellationToken);
                await mailer.SendAsync(emails.Report(report, subscription), cancellationToken);
                sent++;
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                subscriptions.Release(subscription.Id, period.Key);
                logger.LogWarning(exception, "The {Kind} report of {Domain} for {Period} to {Email} was not sent; it is tried again on the next run",
                    subscription.Kind, site.Domain, period.Key, subscription.Email);
            }
        }
        return sent;
    }

    async Task<int> SpikesAsync(Site site, List<EmailSubscription> group, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (group.Count == 0) return 0;
        var current = await reports.CurrentVisitorsAsync(site, cancellationToken);
        var reached = group.Where(s => current >= s.Threshold).ToList();
        if (reached.Count == 0) return 0;
        var last = subscriptions.LastSent(reached.Select(s => s.Id));
        var key = ReportPeriod.SpikeKey(now);
        SpikeReport? spike = null;
        var sent = 0;
        foreach (var subscription in reached)
        {
            if (last.TryGetValue(subscription.Id, out var at) && now - at < ReportPeriod.SpikeQuiet) continue;
            if (!subscriptions.Claim(subscription.Id, key, now)) continue;
            try
            {
                spike ??= await reports.SpikeAsync(site, current, cancellationToken);
                await mailer.SendAsync(emails.Spike(spike, subscription), cancellationToken);
                sent++;
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                subscriptions.Release(subscription.Id, key);
                logger.LogWarning(exception, "The traffic spike notification of {Domain} to {Email} was not sent", site.Domain, subscription.Email);
            }
        }
        return sent;
    }
}
