using Panorama.Core.Reports;

namespace Panorama.Tests.Unit;

public class PeriodParserTests
{
    static readonly DateTimeOffset Now = new(2026, 11, 26, 22, 30, 0, TimeSpan.Zero);
    static readonly TimeZoneInfo Utc = TimeZoneInfo.Utc;
    static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");

    [Fact]
    public void Parse_7d_SevenDaysEndingToday()
    {
        var (range, _) = PeriodParser.Parse("7d", null, Utc, Now);
        Assert.Equal(new DateRange(new DateTime(2026, 11, 20), new DateTime(2026, 11, 27)), range);
    }

    [Fact]
    public void Parse_DayInMoscow_LocalMidnightToMidnight()
    {
        // 22:30 UTC is already the 27th in Moscow (UTC+3).
        var (range, _) = PeriodParser.Parse("day", null, Moscow, Now);
        Assert.Equal(new DateRange(new DateTime(2026, 11, 26, 21, 0, 0), new DateTime(2026, 11, 27, 21, 0, 0)), range);
    }

    [Fact]
    public void Parse_Custom_InclusiveDays()
    {
        var (range, _) = PeriodParser.Parse("custom", "2026-11-01,2026-11-03", Utc, Now);
        Assert.Equal(new DateRange(new DateTime(2026, 11, 1), new DateTime(2026, 11, 4)), range);
    }

    [Fact]
    public void Parse_Month_WholeCalendarMonth()
    {
        var (range, _) = PeriodParser.Parse("month", "2026-02-10", Utc, Now);
        Assert.Equal(new DateRange(new DateTime(2026, 2, 1), new DateTime(2026, 3, 1)), range);
    }

    [Theory]
    [InlineData("week", null, "'period'")]
    [InlineData("custom", "2026-11-01", "'date'")]
    [InlineData("custom", "2026-11-05,2026-11-01", "ends before")]
    [InlineData("day", "26.11.2026", "'date'")]
    [InlineData("custom", "0001-01-01,9999-12-31", "1970")]
    [InlineData("7d", "0001-01-01", "1970")]
    [InlineData("year", "9999-12-31", "2999")]
    public void Parse_Bad_ErrorNamesParameter(string period, string? date, string expected)
    {
        var (range, error) = PeriodParser.Parse(period, date, Utc, Now);
        Assert.Null(range);
        Assert.Contains(expected, error);
    }
}
