namespace Panorama.Core.EmailReports;

public enum EmailReportKind
{
    /// <summary>Monday to Sunday, sent on Monday at 09:00 in the site's time zone.</summary>
    Weekly,

    /// <summary>A calendar month, sent on the 1st at 09:00 in the site's time zone.</summary>
    Monthly,

    /// <summary>Current visitors (the last 5 minutes) reached the threshold; at most one every <see cref="ReportPeriod.AlertQuiet"/>.</summary>
    Spike,

    /// <summary>
    /// Visitors of the last 12 hours fell below the threshold (a tracker taken off the pages, a site down); at most one every
    /// <see cref="ReportPeriod.AlertQuiet"/>, and none in a subscription's first 12 hours.
    /// </summary>
    Drop,

    /// <summary>The department's week (KPIs, decisions waiting, structure findings, budgets), on Monday at 09:00 UTC; no site.</summary>
    DepartmentDigest,
}

public static class EmailReportKinds
{
    /// <summary>Spikes and drops: sent when the traffic crosses the subscription's threshold, not on a schedule.</summary>
    public static bool IsAlert(this EmailReportKind kind) => kind is EmailReportKind.Spike or EmailReportKind.Drop;

    /// <summary>The visitors an alert counts: the last 5 minutes for a spike (current visitors), the last 12 hours for a drop.</summary>
    public static TimeSpan AlertWindow(this EmailReportKind kind) => kind == EmailReportKind.Drop ? TimeSpan.FromHours(12) : TimeSpan.FromMinutes(5);
}

/// <summary>One recipient of one kind of a site's email reports (or of the department's digest), in the language the report is written in.</summary>
public sealed class EmailSubscription
{
    public int Id { get; set; }

    /// <summary>Null for the department's digest.</summary>
    public int? SiteId { get; set; }

    public EmailReportKind Kind { get; set; }

    public required string Email { get; set; }

    /// <summary>"en" or "ru".</summary>
    public string Language { get; set; } = "en";

    /// <summary>Visitors that make a spike or a drop notification; null for reports.</summary>
    public int? Threshold { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Random, in the link every message carries: it only ever stops this subscription.</summary>
    public required string UnsubscribeToken { get; set; }
}
