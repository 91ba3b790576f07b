using Panorama.Core.Reports;
using Panorama.Core.Reports.Query;

namespace Panorama.Tests.Unit;

public class ComparisonTests
{
    static readonly TimeZoneInfo Utc = TimeZoneInfo.Utc, Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    static DateRange Days(string first, string last, TimeZoneInfo zone) => DateRange.ForDays(DateOnly.Parse(first), DateOnly.Parse(last), zone);

    static string Local(DateRange range, TimeZoneInfo zone) =>
        $"{TimeZoneInfo.ConvertTimeFromUtc(range.From, zone):yyyy-MM-dd HH:mm}..{TimeZoneInfo.ConvertTimeFromUtc(range.To, zone):yyyy-MM-dd HH:mm}";

    [Fact]
    public void PreviousPeriod_TheSameLengthJustBefore()
    {
        var range = Comparison.Range(Days("2026-10-01", "2026-10-10", Utc), ComparisonMode.PreviousPeriod, Utc);
        Assert.Equal("2026-09-21 00:00..2026-10-01 00:00", Local(range, Utc));
    }

    [Fact]
    public void PreviousPeriod_MatchingTheWeekday_MovesBackSoTheyDoNotOverlap()
    {
        // Thursday 1 October for ten days: the previous ten days start on a Monday, so they move back to Thursday 17 September.
        var range = Comparison.Range(Days("2026-10-01", "2026-10-10", Utc), ComparisonMode.PreviousPeriod, Utc, matchDayOfWeek: true);
        Assert.Equal("2026-09-17 00:00..2026-09-27 00:00", Local(range, Utc));
        Assert.Equal(DayOfWeek.Thursday, range.From.DayOfWeek);
    }

    [Fact]
    public void YearOverYear_MatchingTheWeekday_TheNearestSameWeekday()
    {
        // Sunday 1 January 2023: a year before is Saturday 1 January 2022; the nearest Sunday is the 2nd.
        var range = Comparison.Range(Days("2023-01-01", "2023-01-07", Utc), ComparisonMode.YearOverYear, Utc, matchDayOfWeek: true);
        Assert.Equal("2022-01-02 00:00..2022-01-09 00:00", Local(range, Utc));
        // Saturday 10 October 2026: a year before is a Friday; the nearest Saturday is the 11th.
        Assert.Equal("2025-10-11 00:00..2025-10-12 00:00",
            Local(Comparison.Range(Days("2026-10-10", "2026-10-10", Utc), ComparisonMode.YearOverYear, Utc, matchDayOfWeek: true), Utc));
    }

    [Fact]
    public void PeriodReachingPastToday_ComparedUpToToday()
    {
        // 28 November, noon in Berlin: this month so far is 28 days, compared with the 28 before (whole local days across the
        // clock change of 25 October) and with November 2025's first 28.
        var now = new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.FromHours(1));
        var month = Days("2026-11-01", "2026-11-30", Berlin);
        Assert.Equal("2026-10-04 00:00..2026-11-01 00:00", Local(Comparison.Range(month, ComparisonMode.PreviousPeriod, Berlin, now), Berlin));
        Assert.Equal("2025-11-01 00:00..2025-11-29 00:00", Local(Comparison.Range(month, ComparisonMode.YearOverYear, Berlin, now), Berlin));
        // A period already over is compared whole.
        Assert.Equal("2026-09-01 00:00..2026-10-01 00:00",
            Local(Comparison.Range(Days("2026-10-01", "2026-10-30", Berlin), ComparisonMode.PreviousPeriod, Berlin, now), Berlin));
    }

    [Fact]
    public void Custom_WholeLocalDays_OfAnyLength()
    {
        var range = Comparison.Range(Days("2026-10-01", "2026-10-10", Berlin), ComparisonMode.Custom, Berlin, null, (new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 31)));
        Assert.Equal("2026-03-01 00:00..2026-04-01 00:00", Local(range, Berlin));
        // March in Berlin has a 23-hour day.
        Assert.Equal(TimeSpan.FromHours(31 * 24 - 1), range.To - range.From);
    }

    [Fact]
    public void MatchingTheWeekday_AcrossAClockChange_StillWholeLocalDays()
    {
        // Monday 6 April 2026 for a week; the comparison a year before starts Sunday 6 April 2025 and moves to Monday the 7th.
        var range = Comparison.Range(Days("2026-04-06", "2026-04-12", Berlin), ComparisonMode.YearOverYear, Berlin, matchDayOfWeek: true);
        Assert.Equal("2025-04-07 00:00..2025-04-14 00:00", Local(range, Berlin));
        // A custom comparison over the March change, moved by days, keeps starting at local midnight.
        var custom = Comparison.Range(Days("2026-04-06", "2026-04-12", Berlin), ComparisonMode.Custom, Berlin, null,
            (new DateOnly(2026, 3, 27), new DateOnly(2026, 3, 29)), matchDayOfWeek: true);
        Assert.Equal("2026-03-30 00:00..2026-04-02 00:00", Local(custom, Berlin));
    }
}
