using System.Globalization;

namespace Panorama.Core.Reports;

/// <summary>
/// Turns Plausible-style <c>period</c> and <c>date</c> parameters into a UTC range, counting days in the
/// site's time zone. Periods end with <c>date</c> (default: today) inclusive.
/// </summary>
public static class PeriodParser
{
    public static readonly string[] Periods = ["day", "7d", "28d", "30d", "91d", "month", "6mo", "12mo", "year", "custom"];

    /// <returns>The range, or an error message naming the offending parameter.</returns>
    public static (DateRange? Range, string? Error) Parse(string? period, string? date, TimeZoneInfo zone, DateTimeOffset now)
    {
        period = string.IsNullOrEmpty(period) ? "30d" : period;
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        if (period == "custom")
        {
            var parts = (date ?? "").Split(',');
            if (parts.Length != 2 || !TryDay(parts[0], out var first) || !TryDay(parts[1], out var last))
                return (null, "'date' must be 'YYYY-MM-DD,YYYY-MM-DD' (1970–2999) when period is 'custom'.");
            if (last < first) return (null, "'date' ends before it starts.");
            return (DateRange.ForDays(first, last, zone), null);
        }
        var end = today;
        if (!string.IsNullOrEmpty(date) && !TryDay(date, out end)) return (null, "'date' must be a date in the form YYYY-MM-DD, from 1970 to 2999.");
        (DateOnly First, DateOnly Last)? days = period switch
        {
            "day" => (end, end),
            "7d" => (end.AddDays(-6), end),
            "28d" => (end.AddDays(-27), end),
            "30d" => (end.AddDays(-29), end),
            "91d" => (end.AddDays(-90), end),
            "month" => (new DateOnly(end.Year, end.Month, 1), new DateOnly(end.Year, end.Month, 1).AddMonths(1).AddDays(-1)),
            "6mo" => (new DateOnly(end.Year, end.Month, 1).AddMonths(-5), new DateOnly(end.Year, end.Month, 1).AddMonths(1).AddDays(-1)),
            "12mo" => (new DateOnly(end.Year, end.Month, 1).AddMonths(-11), new DateOnly(end.Year, end.Month, 1).AddMonths(1).AddDays(-1)),
            "year" => (new DateOnly(end.Year, 1, 1), new DateOnly(end.Year, 12, 31)),
            _ => null,
        };
        if (days is null) return (null, $"'period' must be one of: {string.Join(", ", Periods)}.");
        return (DateRange.ForDays(days.Value.First, days.Value.Last, zone), null);
    }

    static bool TryDay(string text, out DateOnly day) =>
        DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day) && DateRange.Reportable(day);
}
