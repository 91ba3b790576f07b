namespace Panorama.Core.Reports.Query;

public enum ComparisonMode { PreviousPeriod, YearOverYear, Custom }

/// <summary>The period a query's figures are compared with (Plausible's <c>include.comparisons</c>).</summary>
public static class Comparison
{
    /// <param name="custom">The local days of a custom comparison, first to last inclusive.</param>
    /// <param name="matchDayOfWeek">
    /// Shift the comparison so that it starts on the same weekday as the period: for the previous period to the
    /// weekday before, so the two never overlap; otherwise to the nearest one (a year before a Sunday is a Sunday
    /// 364 days back, not a Saturday).
    /// </param>
    public static DateRange Range(DateRange range, ComparisonMode mode, TimeZoneInfo zone, (DateOnly First, DateOnly Last)? custom = null, bool matchDayOfWeek = false)
    {
        var comparison = mode switch
        {
            ComparisonMode.YearOverYear => new DateRange(range.From.AddYears(-1), range.To.AddYears(-1)),
            ComparisonMode.Custom => DateRange.ForDays(custom!.Value.First, custom.Value.Last, zone),
            _ => new DateRange(range.From - (range.To - range.From), range.From),
        };
        if (!matchDayOfWeek) return comparison;

        var wanted = LocalDay(range.From, zone).DayOfWeek;
        var start = LocalDay(comparison.From, zone).DayOfWeek;
        var back = ((int)start - (int)wanted + 7) % 7;
        var shift = mode == ComparisonMode.PreviousPeriod || back <= 3 ? -back : 7 - back;
        return shift == 0 ? comparison : new DateRange(ShiftDays(comparison.From, shift, zone), ShiftDays(comparison.To, shift, zone));
    }

    static DateOnly LocalDay(DateTime utc, TimeZoneInfo zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone));

    /// <summary>The same local time of day, <paramref name="days"/> days away (a day across a clock change is 23 or 25 hours).</summary>
    static DateTime ShiftDays(DateTime utc, int days, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone).AddDays(days);
        if (zone.IsInvalidTime(local)) local = local.AddHours(1);
        return TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), zone);
    }
}
