namespace Panorama.Core.Reports.Query;

public enum ComparisonMode { PreviousPeriod, YearOverYear, Custom }

/// <summary>The period a query's figures are compared with (Plausible's <c>include.comparisons</c>).</summary>
public static class Comparison
{
    /// <param name="now">
    /// A period reaching past today (this month, this year) is compared up to today only, as Plausible does: 28 days of
    /// November so far against the 28 days before, not against 30 that include two without data yet.
    /// </param>
    /// <param name="custom">The local days of a custom comparison, first to last inclusive.</param>
    /// <param name="matchDayOfWeek">
    /// Shift the comparison so that it starts on the same weekday as the period: for the previous period to the
    /// weekday before, so the two never overlap; otherwise to the nearest one (a year before a Sunday is a Sunday
    /// 364 days back, not a Saturday).
    /// </param>
    public static DateRange Range(DateRange range, ComparisonMode mode, TimeZoneInfo zone, DateTimeOffset? now = null,
        (DateOnly First, DateOnly Last)? custom = null, bool matchDayOfWeek = false)
    {
        var to = range.To;
        if (now is { } instant)
        {
            var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);
            var endOfToday = DateRange.ForDays(today, today, zone).To;
            if (endOfToday > range.From && endOfToday < to) to = endOfToday;
        }
        var comparison = mode switch
        {
            ComparisonMode.YearOverYear => new DateRange(Shift(range.From, zone, l => l.AddYears(-1)), Shift(to, zone, l => l.AddYears(-1))),
            ComparisonMode.Custom => DateRange.ForDays(custom!.Value.First, custom.Value.Last, zone),
            _ => PreviousPeriod(range.From, to, zone),
        };
        if (!matchDayOfWeek) return comparison;

        var wanted = LocalDay(range.From, zone).DayOfWeek;
        var start = LocalDay(comparison.From, zone).DayOfWeek;
        var back = ((int)start - (int)wanted + 7) % 7;
        var shift = mode == ComparisonMode.PreviousPeriod || back <= 3 ? -back : 7 - back;
        return shift == 0 ? comparison : new DateRange(Shift(comparison.From, zone, l => l.AddDays(shift)), Shift(comparison.To, zone, l => l.AddDays(shift)));
    }

    /// <summary>Whole local days are followed by as many whole local days (a clock change between them moves no boundary off midnight).</summary>
    static DateRange PreviousPeriod(DateTime from, DateTime to, TimeZoneInfo zone)
    {
        var (first, end) = (Local(from, zone), Local(to, zone));
        if (first.TimeOfDay != TimeSpan.Zero || end.TimeOfDay != TimeSpan.Zero) return new DateRange(from - (to - from), from);
        var days = DateOnly.FromDateTime(end).DayNumber - DateOnly.FromDateTime(first).DayNumber;
        var start = DateOnly.FromDateTime(first);
        return DateRange.ForDays(start.AddDays(-days), start.AddDays(-1), zone);
    }

    static DateTime Local(DateTime utc, TimeZoneInfo zone) => TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone);

    static DateOnly LocalDay(DateTime utc, TimeZoneInfo zone) => DateOnly.FromDateTime(Local(utc, zone));

    /// <summary>Moves an instant in local time (a day across a clock change is 23 or 25 hours; local midnight stays midnight).</summary>
    static DateTime Shift(DateTime utc, TimeZoneInfo zone, Func<DateTime, DateTime> move)
    {
        var local = move(Local(utc, zone));
        if (zone.IsInvalidTime(local)) local = local.AddHours(1);
        return TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), zone);
    }
}
