using Panorama.Core.Ingestion;

namespace Panorama.Tests.Unit;

public class VisitContinuityTests
{
    static EnrichedEvent At(DateTime time, long today, long yesterday) => new()
    {
        SiteId = 1, Timestamp = time, VisitorId = today, PreviousDayVisitorId = yesterday, Name = "pageview", Pathname = "/", Hostname = "s",
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
    public void Apply_GapOf30MinutesOverMidnight_NewDaysId()
    {
        var continuity = new VisitContinuity();
        continuity.Apply(At(new DateTime(2026, 11, 20, 23, 40, 0), today: 100, yesterday: 99));
        var afterMidnight = At(new DateTime(2026, 11, 21, 0, 10, 0), today: 200, yesterday: 100);
        continuity.Apply(afterMidnight);
        Assert.Equal(200, afterMidnight.VisitorId);
    }
}
