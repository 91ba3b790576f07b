using System.Globalization;
using Panorama.Core.Ingestion;
using Panorama.Storage.ClickHouse;
using Panorama.Tests.Support;

namespace Panorama.Tests.Integration.ClickHouse;

/// <summary>The ClickHouse event store against real servers: what is written reads back exactly, shards hold whole visitors, retries store once.</summary>
[Collection(ClickHouseCollection.Name)]
public sealed class ClickHouseStoreTests(ClickHouseServers servers)
{
    static readonly DateTime Noon = new(2026, 11, 2, 12, 0, 0, DateTimeKind.Utc);

    internal static EnrichedEvent Event(long sequence, long visitor, DateTime at, string name = "pageview", string path = "/") => new()
    {
        Sequence = sequence, SiteId = 7, Timestamp = at, VisitorId = visitor, PreviousDayVisitorId = visitor, Name = name, Pathname = path, Hostname = "shop.test",
        Source = "Direct / None", Channel = "Direct", Browser = "Firefox", OperatingSystem = "Linux", Device = "Desktop",
    };

    static async Task<ClickHouseEventStore> StoreAsync(ClickHouseOptions options)
    {
        var store = new ClickHouseEventStore(options, new HttpClient());
        await store.MigrateAsync(CancellationToken.None);
        return store;
    }

    [Fact]
    public async Task Append_OneServer_EveryFieldReadsBackExactly()
    {
        var store = await StoreAsync(servers.Options(ClickHouseServers.NewDatabase(), shards: 1));
        var at = Noon.AddTicks(1234560);
        await store.AppendAsync([new EnrichedEvent
        {
            Sequence = 1, SiteId = 7, Timestamp = at, VisitorId = -42, Name = "Purchase", Pathname = "/checkout", Hostname = "shop.test",
            Referrer = "https://t.me/x?a='b'\\c", Source = "Telegram", Channel = "Organic Social", UtmCampaign = "осень\tsale", Browser = "Chrome",
            BrowserVersion = "141.0", OperatingSystem = "Android", OperatingSystemVersion = "14", Device = "Mobile", Screen = "Mobile", Country = "RU",
            City = "Moscow", PropKeys = ["plan", "size"], PropValues = ["pro", "42"], RevenueAmount = 1490.123456m, RevenueCurrency = "RUB",
            ScrollDepth = 80, Interactive = true,
        }], CancellationToken.None);
        var row = Assert.Single(await store.Shards[0].QueryAsync(
            "SELECT seq, visitor_id, ts, ts_us, referrer, utm_campaign, prop_keys, prop_values, revenue_micros, engagement_ms, scroll_depth, interactive FROM events_local",
            CancellationToken.None));
        Assert.Equal(["1", "-42", "2026-11-02 12:00:00", ClickHouseSql.Micros(at).ToString(CultureInfo.InvariantCulture), "https://t.me/x?a='b'\\c",
            "осень\tsale", "['plan','size']", "['pro','42']", "1490123456", "\\N", "80", "1"], row);
        Assert.Equal(1, await store.CountEventsAsync(7, CancellationToken.None));
    }

    [Fact]
    public async Task Append_TwoShards_EachVisitorOnOneShard_TheDistributedTableSeesAll()
    {
        var store = await StoreAsync(servers.Options(ClickHouseServers.NewDatabase(), shards: 2));
        var events = Enumerable.Range(1, 400).Select(i => Event(i, visitor: i % 40, Noon.AddMinutes(i))).ToList();
        await store.AppendAsync(events, CancellationToken.None);
        var perShard = new List<long>();
        foreach (var shard in store.Shards)
        {
            perShard.Add(await shard.ScalarAsync("SELECT count() FROM events_local", CancellationToken.None));
            // A visitor's events never straddle shards: every visitor here has all 10 of its events.
            Assert.Empty(await shard.QueryAsync("SELECT visitor_id FROM events_local GROUP BY visitor_id HAVING count() <> 10", CancellationToken.None));
        }
        Assert.Equal([200L, 200L], perShard);
        Assert.Equal(400, await store.CountEventsAsync(7, CancellationToken.None));
        Assert.Equal(40, await store.Shards[1].ScalarAsync("SELECT uniqExact(visitor_id) FROM events", CancellationToken.None));
    }

    [Fact]
    public async Task DeleteSite_TwoShards_RemovesOnlyThatSitesRowsEverywhere_NewEventsCountAfterAReset()
    {
        var store = await StoreAsync(servers.Options(ClickHouseServers.NewDatabase(), shards: 2));
        var kept = Enumerable.Range(1, 100).Select(i => Event(i, visitor: i % 20, Noon.AddMinutes(i))).ToList();
        // Site 8's events straddle midnight, so the midnight view holds rows of it too.
        var deleted = Enumerable.Range(101, 60).Select(i =>
        {
            var e = Event(i, visitor: 1000 + i % 12, Noon.Date.AddDays(1).AddMinutes(i - 130));
            return new EnrichedEvent
            {
                Sequence = e.Sequence, SiteId = 8, Timestamp = e.Timestamp, VisitorId = e.VisitorId, PreviousDayVisitorId = e.VisitorId, Name = e.Name,
                Pathname = e.Pathname, Hostname = "gone.test", Source = e.Source, Channel = e.Channel, Browser = e.Browser, OperatingSystem = e.OperatingSystem,
                Device = e.Device,
            };
        }).ToList();
        await store.AppendAsync([.. kept, .. deleted], CancellationToken.None);
        Assert.True(await store.Shards[0].ScalarAsync("SELECT count() FROM midnight WHERE site_id = 8", CancellationToken.None) > 0);

        Assert.Equal(60, await store.DeleteSiteAsync(8, CancellationToken.None));
        foreach (var shard in store.Shards)
            foreach (var table in new[] { "events_local", "midnight_local", "visits_local", "visit_builds" })
                Assert.Equal(0, await shard.ScalarAsync($"SELECT count() FROM {table} WHERE site_id = 8", CancellationToken.None));
        Assert.Equal(100, await store.CountEventsAsync(7, CancellationToken.None));
        // A second pass that finds none of the site's rows asks for no mutation (on 18.16 one rewrites every part).
        var mutations = await store.Shards[0].ScalarAsync("SELECT count() FROM system.mutations WHERE database = currentDatabase()", CancellationToken.None);
        Assert.Equal(0, await store.DeleteSiteAsync(8, CancellationToken.None));
        Assert.Equal(mutations, await store.Shards[0].ScalarAsync("SELECT count() FROM system.mutations WHERE database = currentDatabase()", CancellationToken.None));

        // Reset stats deletes the same way and keeps the site: what it sends next is stored and counted.
        Assert.Equal(100, await store.DeleteSiteAsync(7, CancellationToken.None));
        await store.AppendAsync([.. Enumerable.Range(201, 30).Select(i => Event(i, visitor: i % 7, Noon.AddMinutes(i)))], CancellationToken.None);
        Assert.Equal(30, await store.CountEventsAsync(7, CancellationToken.None));
    }

    [Fact]
    public async Task DeleteBefore_TwoShards_DropsTheMonthsBefore_VisitsOfTheRestStayExact()
    {
        var store = await StoreAsync(servers.Options(ClickHouseServers.NewDatabase(), shards: 2));
        var october = new DateTime(2026, 10, 1, 0, 0, 0, DateTimeKind.Utc);
        // September: 40 events of 20 visitors, some in the half hour after midnight (so the midnight view holds rows);
        // October: 30 events of 10 visitors.
        await store.AppendAsync([
            .. Enumerable.Range(1, 40).Select(i => Event(i, visitor: i % 20, new DateTime(2026, 9, 10, 0, 5, 0, DateTimeKind.Utc).AddMinutes(i))),
            .. Enumerable.Range(41, 30).Select(i => Event(i, visitor: 100 + i % 10, october.AddDays(14).AddMinutes(i))),
        ], CancellationToken.None);
        Assert.True(await store.Visits.BuildAsync(new DateTime(2026, 11, 2, 0, 0, 0, DateTimeKind.Utc), null, CancellationToken.None) > 0);
        Assert.True(await store.Shards[0].ScalarAsync("SELECT count() FROM midnight WHERE day < '2026-10-01'", CancellationToken.None) > 0);

        Assert.Equal(40, await store.DeleteBeforeAsync(october, CancellationToken.None));
        foreach (var shard in store.Shards)
        {
            Assert.Equal(0, await shard.ScalarAsync("SELECT count() FROM system.parts WHERE database = currentDatabase() AND active AND partition < '202610'", CancellationToken.None));
            Assert.Equal(0, await shard.ScalarAsync("SELECT count() FROM visits_local WHERE day < '2026-10-01'", CancellationToken.None));
        }
        Assert.Equal(30, await store.CountEventsAsync(7, CancellationToken.None));
        Assert.Equal(0, await store.Shards[0].ScalarAsync($"SELECT count() FROM visit_builds WHERE hour < {(long)(october - DateTime.UnixEpoch).TotalHours}", CancellationToken.None));
        // October's ten visitors are all still there.
        Assert.Equal(10, await store.Shards[0].ScalarAsync("SELECT uniqExact(visitor_id) FROM events", CancellationToken.None));
        Assert.Equal(0, await store.DeleteBeforeAsync(october, CancellationToken.None));
    }

    [Fact]
    public async Task Append_RetriedAfterOneShardFailed_StoresEveryEventOnce()
    {
        var options = servers.Options(ClickHouseServers.NewDatabase(), shards: 2);
        var store = await StoreAsync(options);
        var events = Enumerable.Range(1, 100).Select(i => Event(i, visitor: i, Noon.AddSeconds(i))).ToList();
        await servers.KillAsync(1);
        try
        {
            await Assert.ThrowsAsync<AggregateException>(() => store.AppendAsync(events, CancellationToken.None));
            Assert.Equal([options.Shards[1] + "/"], store.UnreachableShards);
            Assert.Equal(50, await store.Shards[0].ScalarAsync("SELECT count() FROM events_local", CancellationToken.None));
        }
        finally
        {
            await servers.StartAsync(1);
        }
        await store.AppendAsync(events, CancellationToken.None);
        Assert.Empty(store.UnreachableShards);
        Assert.Equal((100, 100), (await store.CountEventsAsync(7, CancellationToken.None),
            await store.Shards[0].ScalarAsync("SELECT uniqExact(node, seq) FROM events", CancellationToken.None)));

        // A new store (a restarted node) learns from the shards what they hold: a replay of the same events adds nothing.
        var restarted = new ClickHouseEventStore(options, new HttpClient());
        // Odd visitors (odd sequences) live on shard 1, whose last is 99: everything up to 99 is everywhere.
        Assert.Equal((99, 100), (await restarted.MaxSequenceAsync(CancellationToken.None), await restarted.HighestSequenceAsync(CancellationToken.None)));
        await restarted.AppendAsync(events, CancellationToken.None);
        Assert.Equal(100, await store.CountEventsAsync(7, CancellationToken.None));
    }
}
