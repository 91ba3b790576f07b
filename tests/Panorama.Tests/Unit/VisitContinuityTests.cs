using Panorama.Core.Ingestion;

namespace Panorama.Tests.Unit;

public class VisitContinuityTests
{
    static EnrichedEvent At(DateTime time, long today, long yesterday, string name = "pageview") => new()
    {
        SiteId = 1, Timestamp = time, VisitorId = today, PreviousDayVisitorId = yesterday, Name = name, Pathname = "/", Hostname = "s",
    };

    [Fact]
    public void Apply_ActiveBeforeMidnight_KeepsYesterdaysId()
    {
        var continuity = new VisitContinuity();
        continuity.Apply(At(new DateTime(2026, 11, 20, 23, 50, 0), today: 100, yesterday: 99));
        var afterMidnight = At(new DateTime(2026, 11, 21, 0, 10, 0), today: 200, yesterday: 100);
        continuity.Apply(afterMidnight);
        Assert.Equal(100, afterMidnight.VisitorId);
        var later = At(new DateTime(2026, 11, 21, 0, 30, 0), today: 200, yesterday: 100);
        continuity.Apply(later);
        Assert.Equal(100, later.VisitorId);
    }

    [Fact]
    public void Apply_VisitGoesOnPastTheFirstHalfHour_KeepsYesterdaysIdUntilAGap()
    {
        var continuity = new VisitContinuity();
        continuity.Apply(At(new DateTime(2026, 11, 20, 23, 50, 0), today: 100, yesterday: 99));
        continuity.Apply(At(new DateTime(2026, 11, 21, 0, 10, 0), today: 200, yesterday: 100));
        // After 00:30 the enricher no longer hashes with yesterday's salt: the event carries today's id only.
        var stamps = new[] { (0, 35), (1, 0), (1, 29) };
        foreach (var (hour, minute) in stamps)
        {
            var later = At(new DateTime(2026, 11, 21, hour, minute, 0), today: 200, yesterday: 200);
            continuity.Apply(later);
            Assert.Equal(100, later.VisitorId);
        }
        var afterGap = At(new DateTime(2026, 11, 21, 2, 0, 0), today: 200, yesterday: 200);
        continuity.Apply(afterGap);
        Assert.Equal(200, afterGap.VisitorId);
        var someoneElse = At(new DateTime(2026, 11, 21, 2, 1, 0), today: 300, yesterday: 300);
        continuity.Apply(someoneElse);
        Assert.Equal(300, someoneElse.VisitorId);
    }

    [Fact]
    public void Apply_EngagementAfterMidnight_TakesTheIdButDoesNotExtendTheVisit()
    {
        var continuity = new VisitContinuity();
        continuity.Apply(At(new DateTime(2026, 11, 20, 23, 50, 0), today: 100, yesterday: 99));
        continuity.Apply(At(new DateTime(2026, 11, 21, 0, 5, 0), today: 200, yesterday: 100));
        var engagement = At(new DateTime(2026, 11, 21, 0, 30, 0), today: 200, yesterday: 200, EnrichedEvent.Engagement);
        continuity.Apply(engagement);
        Assert.Equal(100, engagement.VisitorId);
        // 35 minutes after the last pageview: a new visit, under today's id, although the engagement was 5 minutes ago.
        var next = At(new DateTime(2026, 11, 21, 0, 40, 0), today: 200, yesterday: 200);
        continuity.Apply(next);
        Assert.Equal(200, next.VisitorId);
    }

    [Fact]
    public void Apply_GapOf30MinutesOverMidnight_NewDaysId()
    {
        var continuity = new VisitContinuity();
        continuity.Apply(At(new DateTime(2026, 11, 20, 23, 40, 0), today: 100, yesterday: 99));
        var afterMidnight = At(new DateTime(2026, 11, 21, 0, 10, 0), today: 200, yesterday: 100);
        continuity.Apply(afterMidnight);
        Assert.Equal(200, afterMidnight.VisitorId);
    }
}
