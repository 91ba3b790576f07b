using System.Globalization;
using System.Net;
using System.Text;
using MimeKit;
using Panorama.Core.EmailReports;
using Panorama.Core.Reports.Query;
using Panorama.Web.Localization;

namespace Panorama.Web.Email;

/// <summary>
/// Writes a site's report, a spike or drop notification, or the department's digest as a message (HTML with a plain-text
/// twin) in the recipient's language, with a link to the dashboard for the same period and a link that stops this
/// subscription (also as <c>List-Unsubscribe</c>).
/// </summary>
public sealed class ReportEmail(Texts texts, PublicAddress address)
{
    internal static readonly Dictionary<string, string> MetricLabels = new()
    {
        ["visitors"] = "Unique visitors", ["visits"] = "Total visits", ["pageviews"] = "Total pageviews",
        ["bounce_rate"] = "Bounce rate", ["visit_duration"] = "Visit duration",
    };

    public MimeMessage Report(SiteReport report, EmailSubscription subscription)
    {
        using var _ = new LanguageScope(subscription.Language);
        var domain = report.Site.Domain;
        var period = PeriodLabel(report.Period);
        var subject = texts.Format(report.Period.Kind == EmailReportKind.Weekly ? "{0}: weekly report, {1}" : "{0}: monthly report, {1}", domain, period);
        var dashboard = $"{address.Url}/sites/{Uri.EscapeDataString(domain)}?period=custom&from={report.Period.From:yyyy-MM-dd}&to={report.Period.To:yyyy-MM-dd}&compare=previous_period";

        var html = new StringBuilder();
        var text = new StringBuilder();
        Heading(html, text, subject);
        html.Append("<table cellpadding=\"6\" style=\"border-collapse:collapse;margin:12px 0\">");
        foreach (var figure in report.Totals)
        {
            var value = FormatValue(figure.Metric, figure.Value);
            var change = FormatChange(figure.Metric, figure.Change);
            html.Append($"<tr><td>{E(texts[MetricLabels[figure.Metric]])}</td><td style=\"text-align:right\"><b>{E(value)}</b></td><td style=\"color:#555\">{E(change)}</td></tr>");
            text.AppendLine($"{texts[MetricLabels[figure.Metric]]}: {value} {change}".TrimEnd());
        }
        html.Append("</table>");
        html.Append($"<p style=\"color:#555\">{E(texts["Changes are against the period of the same length before."])}</p>");
        Lines(html, text, texts["Top sources"], texts["Source"], report.Sources);
        Lines(html, text, texts["Top pages"], texts["Page"], report.Pages);
        if (report.Goals.Count > 0)
        {
            html.Append($"<h3>{E(texts["Goals"])}</h3><table cellpadding=\"4\" style=\"border-collapse:collapse\"><tr><th align=\"left\">{E(texts["Goal"])}</th><th align=\"right\">{E(texts["Visitors"])}</th><th align=\"right\">{E(texts["Conversions"])}</th><th align=\"right\">{E(texts["Conversion rate"])}</th><th align=\"right\">{E(texts["Revenue"])}</th></tr>");
            text.AppendLine().AppendLine(texts["Goals"]);
            foreach (var goal in report.Goals)
            {
                var revenue = goal.Revenue is { } money ? $"{money.Value.ToString("N2", CultureInfo.CurrentCulture)} {money.Currency}" : "";
                var rate = goal.ConversionRate.ToString("0.##", CultureInfo.CurrentCulture) + "%";
                html.Append($"<tr><td>{E(goal.Goal)}</td><td align=\"right\">{N(goal.Visitors)}</td><td align=\"right\">{N(goal.Events)}</td><td align=\"right\">{rate}</td><td align=\"right\">{E(revenue)}</td></tr>");
                text.AppendLine($"  {goal.Goal}: {N(goal.Visitors)} / {N(goal.Events)} / {rate}{(revenue.Length > 0 ? " / " + revenue : "")}");
            }
            html.Append("</table>");
        }
        return Message(subscription, subject, html, text, dashboard, texts["Open the dashboard for this period"]);
    }

    public MimeMessage Alert(AlertReport alert, EmailSubscription subscription)
    {
        using var _ = new LanguageScope(subscription.Language);
        var spike = alert.Kind == EmailReportKind.Spike;
        var subject = spike
            ? texts.Format("{0}: traffic spike, {1} current visitors", alert.Site.Domain, N(alert.Visitors))
            : texts.Format("{0}: traffic drop, {1} visitors in 12 hours", alert.Site.Domain, N(alert.Visitors));
        var html = new StringBuilder();
        var text = new StringBuilder();
        Heading(html, text, subject);
        var said = spike
            ? texts.Format("{0} visitors in the last 5 minutes; you asked to hear from {1}.", N(alert.Visitors), N(subscription.Threshold ?? 0))
            : texts.Format("{0} visitors in the last 12 hours, fewer than the {1} you asked to hear below. Check that the site is up and that its pages still carry the tracking snippet.",
                N(alert.Visitors), N(subscription.Threshold ?? 0));
        html.Append($"<p>{E(said)}</p>");
        text.AppendLine(said);
        Lines(html, text, texts["Top sources"], texts["Source"], alert.Sources);
        Lines(html, text, texts["Top pages"], texts["Page"], alert.Pages);
        return Message(subscription, subject, html, text, $"{address.Url}/sites/{Uri.EscapeDataString(alert.Site.Domain)}?period={(spike ? "realtime" : "day")}", texts["Open the dashboard"]);
    }

    public MimeMessage Digest(DepartmentDigest digest, EmailSubscription subscription)
    {
        using var _ = new LanguageScope(subscription.Language);
        var subject = texts.Format("Internet-marketing department: the week to {0}", digest.Today.ToString("d MMM yyyy", CultureInfo.CurrentCulture));
        var html = new StringBuilder();
        var text = new StringBuilder();
        Heading(html, text, subject);

        Section(html, text, digest.Strategy is null ? texts["Strategy: none in force"] : $"{texts["Strategy"]}: {digest.Strategy}",
            digest.Kpis.Select(k => $"{k.Objective.Title} · {k.Status.Kpi.Name}: " + Kpi(k.Status)), texts["No KPIs in force."]);
        Section(html, text, texts["Decisions waiting for approval"],
            digest.AwaitingApproval.Select(d => $"#{d.Id} {d.Title} ({texts[d.Importance.ToString()]})"), texts["None."]);
        Section(html, text, texts["Implemented, waiting for their outcome"],
            digest.AwaitingEvaluation.Select(d => texts.Format("#{0} {1}, implemented on {2}", d.Id, d.Title, d.ImplementedOn?.ToString("d", CultureInfo.CurrentCulture) ?? "")), texts["None."]);
        var counts = texts.Format("{0} findings: {1} high, {2} medium, {3} low", digest.Findings.Count, digest.Findings.Count(f => f.Severity == Core.Department.Severity.High),
            digest.Findings.Count(f => f.Severity == Core.Department.Severity.Medium), digest.Findings.Count(f => f.Severity == Core.Department.Severity.Low));
        Section(html, text, $"{texts["Structure health"]}: {counts}",
            digest.Findings.Where(f => f.Severity == Core.Department.Severity.High).Select(f => texts.Message(f.Message)), texts["No high-severity findings."]);
        Section(html, text, texts["Budgets off pace"], digest.OffPace.Select(p =>
            texts.Format("{0} · {1}: spent {2} of {3} expected by today ({4})", p.Budget.Unit, p.Budget.Channel + (p.Budget.Campaign is { } campaign ? " / " + campaign : ""),
                Money(p.Actual, p.Budget.Currency), Money(p.ExpectedToDate, p.Budget.Currency), texts[p.Band.ToString()!])), texts["Every budget is on pace."]);
        return Message(subscription, subject, html, text, $"{address.Url}/department", texts["Open the department"]);
    }

    string Kpi(Core.Department.KpiStatus status)
    {
        if (status.Error is { } error) return texts.Message(error);
        if (status.Value is not { } value) return texts["no data yet"];
        var line = texts.Format("{0} of {1}", value.ToString("#,0.##", CultureInfo.CurrentCulture), status.Kpi.Target.ToString("#,0.##", CultureInfo.CurrentCulture));
        if (status.Progress is { } progress) line += $" ({progress.ToString("P0", CultureInfo.CurrentCulture)})";
        return status.OnTrack is { } onTrack ? $"{line}, {texts[onTrack ? "on track" : "behind"]}" : line;
    }

    static string Money(decimal amount, string currency) => $"{amount.ToString("#,0", CultureInfo.CurrentCulture)} {currency}";

    static void Section(StringBuilder html, StringBuilder text, string title, IEnumerable<string> lines, string empty)
    {
        var list = lines.ToList();
        html.Append($"<h3>{E(title)}</h3>");
        text.AppendLine().AppendLine(title);
        if (list.Count == 0)
        {
            html.Append($"<p style=\"color:#555\">{E(empty)}</p>");
            text.AppendLine("  " + empty);
            return;
        }
        html.Append("<ul>");
        foreach (var line in list)
        {
            html.Append($"<li>{E(line)}</li>");
            text.AppendLine("  " + line);
        }
        html.Append("</ul>");
    }

    MimeMessage Message(EmailSubscription subscription, string subject, StringBuilder html, StringBuilder text, string dashboard, string dashboardLabel)
    {
        var unsubscribe = $"{address.Url}/email/unsubscribe/{subscription.UnsubscribeToken}";
        var why = subscription.SiteId is null
            ? texts.Format("You receive this because {0} asked for the department's weekly digest in Panorama.", subscription.Email)
            : texts.Format("You receive this because {0} was added to this site's email reports in Panorama.", subscription.Email);
        html.Append($"<p style=\"margin:20px 0\"><a href=\"{E(dashboard)}\" style=\"background:#4f46e5;color:#fff;padding:8px 14px;border-radius:6px;text-decoration:none\">{E(dashboardLabel)}</a></p>");
        html.Append($"<p style=\"color:#777;font-size:12px\">{E(why)} <a href=\"{E(unsubscribe)}\">{E(texts["Unsubscribe"])}</a></p></div></body></html>");
        text.AppendLine().AppendLine($"{dashboardLabel}: {dashboard}").AppendLine().AppendLine(why).AppendLine($"{texts["Unsubscribe"]}: {unsubscribe}");
        var message = new MimeMessage { Subject = subject, Body = new BodyBuilder { HtmlBody = html.ToString(), TextBody = text.ToString() }.ToMessageBody() };
        message.To.Add(MailboxAddress.Parse(subscription.Email));
        message.Headers.Add("List-Unsubscribe", $"<{unsubscribe}>");
        message.Headers.Add("Auto-Submitted", "auto-generated");
        return message;
    }

    static void Heading(StringBuilder html, StringBuilder text, string subject)
    {
        html.Append($"<!DOCTYPE html><html lang=\"{Texts.Language}\"><body style=\"font-family:system-ui,sans-serif;color:#111\"><div style=\"max-width:640px\"><h2>{E(subject)}</h2>");
        text.AppendLine(subject).AppendLine();
    }

    void Lines(StringBuilder html, StringBuilder text, string title, string column, IReadOnlyList<SiteReport.Line> lines)
    {
        html.Append($"<h3>{E(title)}</h3>");
        text.AppendLine().AppendLine(title);
        if (lines.Count == 0)
        {
            html.Append($"<p style=\"color:#555\">{E(texts["No data for this period."])}</p>");
            text.AppendLine("  " + texts["No data for this period."]);
            return;
        }
        html.Append($"<table cellpadding=\"4\" style=\"border-collapse:collapse\"><tr><th align=\"left\">{E(column)}</th><th align=\"right\">{E(texts["Visitors"])}</th></tr>");
        foreach (var line in lines)
        {
            html.Append($"<tr><td>{E(line.Name)}</td><td align=\"right\">{N(line.Visitors)}</td></tr>");
            text.AppendLine($"  {line.Name}: {N(line.Visitors)}");
        }
        html.Append("</table>");
    }

    string PeriodLabel(ReportPeriod period)
    {
        var culture = CultureInfo.CurrentCulture;
        return period.Kind == EmailReportKind.Monthly
            ? period.From.ToString("MMMM yyyy", culture)
            : period.From.Month == period.To.Month
                ? $"{period.From.Day}–{period.To.ToString("d MMM yyyy", culture)}"
                : $"{period.From.ToString("d MMM", culture)} – {period.To.ToString("d MMM yyyy", culture)}";
    }

    string FormatValue(string metric, object? value) => metric switch
    {
        "bounce_rate" => Convert.ToDouble(value ?? 0.0, CultureInfo.InvariantCulture).ToString("0.#", CultureInfo.CurrentCulture) + "%",
        "visit_duration" => Duration(Convert.ToInt64(value ?? 0L, CultureInfo.InvariantCulture)),
        _ => N(Convert.ToInt64(value ?? 0L, CultureInfo.InvariantCulture)),
    };

    string Duration(long seconds) => seconds >= 3600
        ? texts.Format("{0}h {1}m", seconds / 3600, (seconds % 3600 / 60).ToString("00", CultureInfo.InvariantCulture))
        : texts.Format("{0}m {1}s", seconds / 60, (seconds % 60).ToString("00", CultureInfo.InvariantCulture));

    string FormatChange(string metric, double? change) => change switch
    {
        null => "",
        _ when metric == "bounce_rate" => texts.Format("({0} pp)", change.Value.ToString("+0.#;−0.#;0", CultureInfo.CurrentCulture)),
        _ => $"({change.Value.ToString("+0;−0;0", CultureInfo.CurrentCulture)}%)",
    };

    static string N(long value) => value.ToString("N0", CultureInfo.CurrentCulture);

    static string E(string value) => WebUtility.HtmlEncode(value);

    /// <summary>The recipient's language for numbers, dates and words while a message is written, outside any request.</summary>
    sealed class LanguageScope : IDisposable
    {
        readonly CultureInfo culture = CultureInfo.CurrentCulture, ui = CultureInfo.CurrentUICulture;

        public LanguageScope(string language) => CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(language == "ru" ? "ru" : "en");

        public void Dispose() => (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (culture, ui);
    }
}
