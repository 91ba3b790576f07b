using Panorama.Core.EmailReports;

namespace Panorama.Tests.Unit;

/// <summary>Which week or month a report covers, and when it is due, in the site's time zone.</summary>
public sealed class ReportPeriodTests
{
    static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");
    static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    [Theory]
    // Monday 2026-11-23, 09:00 in Moscow is 06:00 UTC: before it, the week due is the one before.
    [InlineData("2026-11-23T05:59:00Z", "2026-11-09", "2026-11-15", "2026-11-16T06:00:00Z")]
    [InlineData("2026-11-23T06:00:00Z", "2026-11-16", "2026-11-22", "2026-11-23T06:00:00Z")]
    [InlineData("2026-11-28T12:00:00Z", "2026-11-16", "2026-11-22", "2026-11-23T06:00:00Z")]
    // Sunday evening UTC is already Monday in Moscow, but before 09:00 there.
    [InlineData("2026-11-29T22:00:00Z", "2026-11-16", "2026-11-22", "2026-11-23T06:00:00Z")]
    public void Weekly_MondayToSunday_DueMondayAtNineInTheSitesZone(string now, string from, string to, string due)
    {
        var period = ReportPeriod.Latest(EmailReportKind.Weekly, Moscow, DateTimeOffset.Parse(now));
        Assert.Equal((DateOnly.Parse(from), DateOnly.Parse(to), DateTimeOffset.Parse(due)), (period.From, period.To, period.DueAt));
        Assert.Equal($"week:{from}", period.Key);
    }

    [Theory]
    [InlineData("2026-12-01T07:59:00Z", "2026-10-01", "2026-10-31", "2026-11-01T08:00:00Z")]
    [InlineData("2026-12-01T08:00:00Z", "2026-11-01", "2026-11-30", "2026-12-01T08:00:00Z")]
    // Berlin changes to summer time on 2027-03-28: the 1st of April is due at 09:00 CEST, 07:00 UTC.
    [InlineData("2027-04-01T07:00:00Z", "2027-03-01", "2027-03-31", "2027-04-01T07:00:00Z")]
    [InlineData("2027-01-15T00:00:00Z", "2026-12-01", "2026-12-31", "2027-01-01T08:00:00Z")]
    public void Monthly_CalendarMonth_DueOnTheFirstAtNine(string now, string from, string to, string due)
    {
        var period = ReportPeriod.Latest(EmailReportKind.Monthly, Berlin, DateTimeOffset.Parse(now));
        Assert.Equal((DateOnly.Parse(from), DateOnly.Parse(to), DateTimeOffset.Parse(due)), (period.From, period.To, period.DueAt));
        Assert.Equal($"month:{from[..7]}", period.Key);
    }

    [Fact]
    public void AlertKey_IsTheKindAndTheUtcHalfDay()
    {
        Assert.Equal("spike:2026-11-28am", ReportPeriod.AlertKey(EmailReportKind.Spike, DateTimeOffset.Parse("2026-11-28T11:59:59Z")));
        Assert.Equal("drop:2026-11-28pm", ReportPeriod.AlertKey(EmailReportKind.Drop, DateTimeOffset.Parse("2026-11-28T15:00:00+03:00")));
    }
}
