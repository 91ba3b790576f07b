using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Panorama.Core.Data;
using Panorama.Core.Ingestion;
using Panorama.Core.Sites;
using Panorama.Storage.DuckDb;
using Panorama.Tests.Support;
using static Panorama.Tests.Support.EventBodies;

namespace Panorama.Tests.Integration;

/// <summary>
/// What reaches a store after its site was deleted: events another node accepted before its cache forgot the site are
/// dropped when loaded, and what a node stored during the deletion is swept a minute later, by a node started after too.
/// </summary>
public sealed class DeletedSiteEventsTests
{
    static readonly DateTimeOffset Noon = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddHours(-12);

    static EnrichedEvent Late(int site, long visitor) => new()
    {
        SiteId = site, Timestamp = Noon.UtcDateTime.AddMinutes(5), Name = EnrichedEvent.Pageview, Pathname = "/late", Hostname = "late.example",
        Source = "Direct / None", Interactive = true, VisitorId = visitor, PreviousDayVisitorId = visitor,
    };

    static async Task<(Site Gone, Site Kept)> DeleteOneOfTwoAsync(TestServer server)
    {
        var gone = server.AddSite("gone.example");
        var kept = server.AddSite("kept.example");
        var key = server.CreateKey();
        foreach (var domain in new[] { "gone.example", "kept.example" })
            using (var sent = await server.PostEventAsync(Pageview(domain, "/", Noon, "198.51.100.1"), key))
                Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        var request = new HttpRequestMessage(HttpMethod.Delete, "/api/v1/sites/gone.example");
        request.Headers.Authorization = new("Bearer", key);
        using (var deleted = await server.Http.SendAsync(request))
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        return (gone, kept);
    }

    [Fact]
    public async Task EventsAcceptedBeforeTheDeletion_AreDroppedWhenLoaded_ReportsDoNotWaitForThem()
    {
        await using var server = await TestServer.StartAsync();
        var (gone, kept) = await DeleteOneOfTwoAsync(server);

        // As this node's writer gets them after the deletion (accepted while the cache still had the site), the deleted site's event last.
        await server.Services.GetRequiredService<IngestionQueue>().EnqueueAndWaitAsync([Late(kept.Id, 7), Late(gone.Id, 8)], CancellationToken.None);
        var writer = server.Services.GetRequiredService<EventBatchWriter>();
        await writer.WaitUntilStoredAsync(CancellationToken.None);

        var store = server.Services.GetRequiredService<DuckDbEventStore>();
        Assert.Equal((0, 2), (store.CountEvents(gone.Id), store.CountEvents(kept.Id)));
        // Every acknowledged event counts as stored, the dropped one too, so no report waits for it.
        Assert.Equal(0, writer.Lag);
        Assert.Contains("panorama_events_of_deleted_sites_dropped_total 1\n", await server.Http.GetStringAsync("/metrics"));
    }

    [Fact]
    public async Task AnotherNode_DropsTheEventsOnceItRechecksTheSite()
    {
        await using var server = await TestServer.StartAsync();
        var gone = server.AddSite("gone.example");
        var kept = server.AddSite("kept.example");
        // Another node's filter, over the same database, which has seen the site alive.
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var node = new DeletedSiteEvents(server.Services.GetRequiredService<IDbContextFactory<PanoramaDbContext>>(), time, NullLogger<DeletedSiteEvents>.Instance);
        IReadOnlyList<EnrichedEvent> load = [Late(gone.Id, 1), Late(kept.Id, 2)];
        Assert.Equal(2, node.Without(load).Count);

        await server.Services.GetRequiredService<SiteDeletion>().DeleteAsync(gone, "test", CancellationToken.None);
        // Until it asks again, what it loads is left to the second pass; then the site's events go.
        time.Advance(DeletedSiteEvents.Recheck - TimeSpan.FromSeconds(1));
        Assert.Equal(2, node.Without(load).Count);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal([kept.Id], node.Without(load).Select(e => e.SiteId));
    }

    [Fact]
    public async Task TheSecondPass_SweepsWhatWasStoredDuringTheDeletion_AfterAMinute_AlsoOnTheNextStart()
    {
        using var data = new TempDirectory();
        var settings = TestServer.SharedStorage(data.Path);
        int goneId, keptId;
        await using (var server = await TestServer.StartAsync(settings))
        {
            var (gone, kept) = await DeleteOneOfTwoAsync(server);
            (goneId, keptId) = (gone.Id, kept.Id);
            // A node that found the site before the deletion committed, and stored its event after the store was cleared.
            var store = server.Services.GetRequiredService<DuckDbEventStore>();
            await store.AppendAsync([Late(gone.Id, 9)], CancellationToken.None);
            var deletion = server.Services.GetRequiredService<SiteDeletion>();
            Assert.Equal(0, await deletion.SweepAsync(CancellationToken.None));
            Assert.Equal(1, store.CountEvents(gone.Id));

            // A minute on, the first sweep removes it and marks the deletion swept; later sweeps find nothing to do.
            Tombstones(server).ExecuteUpdate(set => set.SetProperty(d => d.DeletedAt, DateTimeOffset.UtcNow - SiteDeletion.SecondPass));
            Assert.Equal(1, await deletion.SweepAsync(CancellationToken.None));
            Assert.Equal((0, 1), (store.CountEvents(gone.Id), store.CountEvents(kept.Id)));
            Assert.NotNull(Tombstones(server).Single().SweptAt);
            Assert.Equal(0, await deletion.SweepAsync(CancellationToken.None));

            // Stopped before it swept again: the next start does.
            await store.AppendAsync([Late(gone.Id, 10)], CancellationToken.None);
            Tombstones(server).ExecuteUpdate(set => set.SetProperty(d => d.SweptAt, (DateTimeOffset?)null));
        }

        await using var restarted = await TestServer.StartAsync(settings);
        var events = restarted.Services.GetRequiredService<DuckDbEventStore>();
        for (var wait = 0; wait < 300 && Tombstones(restarted).Single().SweptAt is null; wait++) await Task.Delay(100);
        Assert.NotNull(Tombstones(restarted).Single().SweptAt);
        Assert.Equal((0, 1), (events.CountEvents(goneId), events.CountEvents(keptId)));
        Assert.Equal("gone.example", Tombstones(restarted).Single().Domain);
    }

    static IQueryable<DeletedSite> Tombstones(TestServer server) =>
        server.Services.GetRequiredService<IDbContextFactory<PanoramaDbContext>>().CreateDbContext().DeletedSites;
}
