namespace Panorama.Core.EmailReports;

public enum EmailReportKind
{
    /// <summary>Monday to Sunday, sent on Monday at 09:00 in the site's time zone.</summary>
    Weekly,

    /// <summary>A calendar month, sent on the 1st at 09:00 in the site's time zone.</summary>
    Monthly,

    /// <summary>Current visitors reached the subscription's threshold; at most one every <see cref="ReportPeriod.SpikeQuiet"/>.</summary>
    Spike,

    /// <summary>The department's week (KPIs, decisions waiting, structure findings, budgets), on Monday at 09:00 UTC; no site.</summary>
    DepartmentDigest,
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

    /// <summary>Current visitors that make a spike notification; null for reports.</summary>
    public int? Threshold { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Random, in the link every message carries: it only ever stops this subscription.</summary>
    public required string UnsubscribeToken { get; set; }
}
