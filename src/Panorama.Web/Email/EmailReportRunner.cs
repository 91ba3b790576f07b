using MimeKit;
using Panorama.Core.EmailReports;
using Panorama.Core.Sites;

namespace Panorama.Web.Email;

/// <summary>
/// Sends what is due: each subscription's latest weekly or monthly report (and the department's digest) not sent yet, one a
/// period however long the server was down, and spike notifications. A delivery row is claimed before sending, so two nodes
/// never send one report twice; a message the SMTP server refuses gives its claim back, to be tried on the next run.
/// </summary>
public sealed class EmailReportRunner(EmailSubscriptions subscriptions, SiteDirectory sites, SiteReports reports, DepartmentDigests digests, ReportEmail emails,
    SmtpMailer mailer, ILogger<EmailReportRunner> logger)
{
    /// <summary>Deliveries are kept this long: well past the longest period (a month) whose claim still matters.</summary>
    public static readonly TimeSpan DeliveriesKept = TimeSpan.FromDays(90);

    DateTimeOffset pruned = DateTimeOffset.MinValue;

    /// <summary>Returns the messages sent.</summary>
    public async Task<int> RunAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!mailer.IsConfigured) return 0;
        if (now - pruned > TimeSpan.FromDays(1))
        {
            subscriptions.Prune(now - DeliveriesKept);
            pruned = now;
        }
        var sent = 0;
        foreach (var group in subscriptions.All().GroupBy(s => s.SiteId))
        {
            try
            {
                sent += await GroupAsync(group.Key, [.. group], now, cancellationToken);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                // One site's failing store query leaves the other sites' messages going out.
                logger.LogWarning(exception, "The email reports of site {SiteId} failed; tried again on the next run", group.Key);
            }
        }
        return sent;
    }

    async Task<int> GroupAsync(int? siteId, List<EmailSubscription> group, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (siteId is null)
        {
            DepartmentDigest? digest = null;
            var zone = digests.TimeZone();
            return await PeriodicAsync(group, _ => ReportPeriod.Latest(EmailReportKind.DepartmentDigest, zone, now), now,
                async (subscription, _) => emails.Digest(digest ??= await digests.BuildAsync(cancellationToken), subscription), cancellationToken);
        }
        if (sites.FindById(siteId.Value) is not { } site) return 0;
        var built = new Dictionary<EmailReportKind, SiteReport>();
        var sent = await PeriodicAsync([.. group.Where(s => !s.Kind.IsAlert())], kind => Latest(site, kind, now), now, async (subscription, period) =>
        {
            if (!built.TryGetValue(subscription.Kind, out var report)) built[subscription.Kind] = report = await reports.ReportAsync(site, period, cancellationToken);
            return emails.Report(report, subscription);
        }, cancellationToken);
        foreach (var alerts in group.Where(s => s.Kind.IsAlert()).GroupBy(s => s.Kind))
            sent += await AlertsAsync(site, alerts.Key, [.. alerts], now, cancellationToken);
        return sent;
    }

    /// <summary>Sends the latest report (or, for an alert, the numbers as they stand) now, outside the schedule.</summary>
    public async Task SendNowAsync(Site? site, EmailSubscription subscription, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var message = site is null ? emails.Digest(await digests.BuildAsync(cancellationToken), subscription)
            : subscription.Kind.IsAlert()
                ? emails.Alert(await reports.AlertAsync(site, subscription.Kind, await reports.AlertVisitorsAsync(site, subscription.Kind, cancellationToken), cancellationToken), subscription)
                : emails.Report(await reports.ReportAsync(site, Latest(site, subscription.Kind, now), cancellationToken), subscription);
        await mailer.SendAsync(message, cancellationToken);
    }

    static ReportPeriod Latest(Site site, EmailReportKind kind, DateTimeOffset now) =>
        ReportPeriod.Latest(kind, TimeZoneInfo.FindSystemTimeZoneById(site.TimeZone), now);

    /// <summary>Reports and digests: each subscription's latest period, from the first one due after it was made.</summary>
    async Task<int> PeriodicAsync(List<EmailSubscription> group, Func<EmailReportKind, ReportPeriod> latest, DateTimeOffset now,
        Func<EmailSubscription, ReportPeriod, Task<MimeMessage>> compose, CancellationToken cancellationToken)
    {
        var due = group.Select(s => (Subscription: s, Period: latest(s.Kind))).Where(d => d.Period.DueAt >= d.Subscription.CreatedAt).ToList();
        var done = subscriptions.Delivered([.. due.Select(d => (d.Subscription.Id, d.Period.Key))]);
        var sent = 0;
        foreach (var (subscription, period) in due.Where(d => !done.Contains((d.Subscription.Id, d.Period.Key))))
            if (await SendClaimedAsync(subscription, period.Key, now, () => compose(subscription, period), cancellationToken)) sent++;
        return sent;
    }

    /// <summary>Spikes (visitors at or above the threshold) and drops (below it, from 12 hours after subscribing), one a recipient per 12 hours.</summary>
    async Task<int> AlertsAsync(Site site, EmailReportKind kind, List<EmailSubscription> group, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var visitors = await reports.AlertVisitorsAsync(site, kind, cancellationToken);
        var crossed = group.Where(s => kind == EmailReportKind.Spike ? visitors >= s.Threshold : visitors < s.Threshold && now - s.CreatedAt >= kind.AlertWindow()).ToList();
        if (crossed.Count == 0) return 0;
        var last = subscriptions.LastSent(crossed.Select(s => s.Id));
        AlertReport? alert = null;
        var sent = 0;
        foreach (var subscription in crossed.Where(s => !last.TryGetValue(s.Id, out var at) || now - at >= ReportPeriod.AlertQuiet))
        {
            if (await SendClaimedAsync(subscription, ReportPeriod.AlertKey(kind, now), now,
                    async () => emails.Alert(alert ??= await reports.AlertAsync(site, kind, visitors, cancellationToken), subscription), cancellationToken))
                sent++;
        }
        return sent;
    }

    async Task<bool> SendClaimedAsync(EmailSubscription subscription, string period, DateTimeOffset now, Func<Task<MimeMessage>> compose, CancellationToken cancellationToken)
    {
        if (!subscriptions.Claim(subscription.Id, period, now)) return false;
        try
        {
            await mailer.SendAsync(await compose(), cancellationToken);
            return true;
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            subscriptions.Release(subscription.Id, period);
            logger.LogWarning(exception, "The {Kind} message for {Period} to {Email} was not sent; it is tried again on the next run", subscription.Kind, period, subscription.Email);
            return false;
        }
    }
}
