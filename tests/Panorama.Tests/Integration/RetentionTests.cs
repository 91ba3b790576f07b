using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Panorama.Core.Ingestion;
using Panorama.Storage.DuckDb;
using Panorama.Tests.Support;
using static Panorama.Tests.Support.EventBodies;

namespace Panorama.Tests.Integration;

/// <summary>
/// <c>Panorama:Events:RetentionMonths</c>: whole months of events kept; older ones are deleted when the server starts
/// (and every six hours), and a backfill older than that is refused.
/// </summary>
public sealed class RetentionTests
{
    [Theory]
    [InlineData("2026-11-28T10:00:00Z", 12, "2025-11-01")]
    [InlineData("2026-03-31T23:59:59Z", 1, "2026-02-01")]
    [InlineData("2026-01-01T00:00:00Z", 1, "2025-12-01")]
    public void Cutoff_IsTheFirstOfAMonth_AtLeastThatManyMonthsBack(string now, int months, string cutoff) =>
        Assert.Equal(DateTime.Parse(cutoff + "T00:00:00Z").ToUniversalTime(), EventRetention.Cutoff(DateTimeOffset.Parse(now), months));

    [Fact]
    public async Task OlderMonths_DeletedAtStart_OlderBackfillRefused()
    {
        using var data = new TempDirectory();
        var settings = TestServer.SharedStorage(data.Path);
        var now = DateTimeOffset.UtcNow.AddSeconds(-1);
        var thisMonth = new DateTimeOffset(now.Year, now.Month, 1, 12, 0, 0, TimeSpan.Zero);
        string key;
        await using (var server = await TestServer.StartAsync(settings))
        {
            server.AddSite("kept.example");
            key = server.CreateKey();
            // Without retention: this month, last month and three months back.
            foreach (var (at, ip) in new[] { (now, "198.51.100.1"), (thisMonth.AddMonths(-1), "198.51.100.2"), (thisMonth.AddMonths(-3), "198.51.100.3") })
                using (var sent = await server.PostEventAsync(Pageview("kept.example", "/", at, ip), key))
                    Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
            await server.Services.GetRequiredService<EventBatchWriter>().WaitUntilStoredAsync(CancellationToken.None);
        }

        await using var restarted = await TestServer.StartAsync([.. settings, "--Panorama:Events:RetentionMonths=1"]);
        var store = restarted.Services.GetRequiredService<DuckDbEventStore>();
        var siteId = restarted.Services.GetRequiredService<Panorama.Core.Sites.SiteDirectory>().FindByDomain("kept.example")!.Id;
        var retention = restarted.Services.GetRequiredService<Panorama.Web.Maintenance.RetentionWorker>();
        for (var wait = 0; wait < 300 && retention.Deleted == 0; wait++) await Task.Delay(100);
        Assert.Equal(2, store.CountEvents(siteId));
        Assert.Contains("panorama_events_deleted_by_retention_total 1\n", await restarted.Http.GetStringAsync("/metrics"));

        using var old = await restarted.PostEventAsync(Pageview("kept.example", "/", thisMonth.AddMonths(-2), "198.51.100.4"), key);
        Assert.Equal(HttpStatusCode.BadRequest, old.StatusCode);
        Assert.Contains($"'timestamp' is before {thisMonth.AddMonths(-1):yyyy-MM-01}, where the 1-month retention begins.", await old.Content.ReadAsStringAsync());
        using var recent = await restarted.PostEventAsync(Pageview("kept.example", "/", thisMonth.AddMonths(-1).AddDays(1), "198.51.100.5"), key);
        Assert.Equal(HttpStatusCode.Accepted, recent.StatusCode);
    }
}
