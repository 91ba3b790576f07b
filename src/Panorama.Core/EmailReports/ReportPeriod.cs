namespace Panorama.Core.EmailReports;

/// <summary>
/// A complete week or month of a site's days, and when its report is due (09:00 in the site's time zone on the day after). The
/// department's digest follows the weeks of its own time zone.
/// </summary>
public sealed record ReportPeriod(EmailReportKind Kind, DateOnly From, DateOnly To, DateTimeOffset DueAt)
{
    public static readonly TimeOnly SendTime = new(9, 0);

    public string Key => Kind == EmailReportKind.Monthly ? $"month:{From:yyyy-MM}" : $"week:{From:yyyy-MM-dd}";

    /// <summary>The latest period whose report is due at or before <paramref name="now"/>.</summary>
    public static ReportPeriod Latest(EmailReportKind kind, TimeZoneInfo zone, DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        if (kind is EmailReportKind.Weekly or EmailReportKind.DepartmentDigest)
        {
            var monday = today.AddDays(-(((int)today.DayOfWeek + 6) % 7));
            if (Due(monday, zone) > now) monday = monday.AddDays(-7);
            return new(kind, monday.AddDays(-7), monday.AddDays(-1), Due(monday, zone));
        }
        if (kind != EmailReportKind.Monthly) throw new ArgumentOutOfRangeException(nameof(kind), kind, "Notifications have no period.");
        var first = new DateOnly(today.Year, today.Month, 1);
        if (Due(first, zone) > now) first = first.AddMonths(-1);
        return new(kind, first.AddMonths(-1), first.AddDays(-1), Due(first, zone));
    }

    /// <summary>The least time between two spike (or two drop) notifications to one recipient, as Plausible's.</summary>
    public static readonly TimeSpan AlertQuiet = TimeSpan.FromHours(12);

    /// <summary>
    /// A notification's delivery key: its kind and the UTC half day, so that nodes noticing one spike at once claim the same
    /// row. With the <see cref="AlertQuiet"/> check against the last one sent, that is one notification a recipient per 12 hours.
    /// </summary>
    public static string AlertKey(EmailReportKind kind, DateTimeOffset now) =>
        $"{kind.ToString().ToLowerInvariant()}:{now.UtcDateTime:yyyy-MM-dd}{(now.UtcDateTime.Hour < 12 ? "am" : "pm")}";

    static DateTimeOffset Due(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(SendTime);
        // 09:00 skipped by a clock change (no zone does that today, but the rules allow it) becomes 10:00.
        if (zone.IsInvalidTime(local)) local = local.AddHours(1);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }
}
