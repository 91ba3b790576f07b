using Panorama.Core.EmailReports;
using Panorama.Core.Reports.Query;
using Panorama.Core.Sites;

namespace Panorama.Web.Email;

/// <summary>A week's or a month's numbers of one site, as the email shows them.</summary>
public sealed record SiteReport(Site Site, ReportPeriod Period, IReadOnlyList<SiteReport.Figure> Totals, IReadOnlyList<SiteReport.Line> Sources,
    IReadOnlyList<SiteReport.Line> Pages, IReadOnlyList<SiteReport.GoalLine> Goals)
{
    /// <summary>A top stat; <see cref="Change"/> is in % against the period before, or in points for rates.</summary>
    public sealed record Figure(string Metric, object? Value, double? Change);

    public sealed record Line(string Name, long Visitors);

    public sealed record GoalLine(string Goal, long Visitors, long Events, double ConversionRate, Money? Revenue);
}

/// <summary>A site's visitors of an alert's window past a recipient's threshold, with where they came from and what they read.</summary>
public sealed record AlertReport(Site Site, EmailReportKind Kind, long Visitors, IReadOnlyList<SiteReport.Line> Sources, IReadOnlyList<SiteReport.Line> Pages);
