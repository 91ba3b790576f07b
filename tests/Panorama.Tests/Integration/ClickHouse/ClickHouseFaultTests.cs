using Microsoft.Extensions.Logging.Abstractions;
using Panorama.Core.Ingestion;
using Panorama.Storage.ClickHouse;
using Panorama.Tests.Support;

namespace Panorama.Tests.Integration.ClickHouse;

/// <summary>One shard dies under load: ingestion keeps acknowledging into the spool, and every acknowledged event lands exactly once after it returns.</summary>
[Collection(ClickHouseCollection.Name)]
public sealed class ClickHouseFaultTests(ClickHouseServers servers)
{
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task ShardKilledUnderLoad_EveryAcknowledgedEventStoredOnceAfterItReturns()
    {
        using var folder = new TempDirectory();
        var store = new ClickHouseEventStore(servers.Options(ClickHouseServers.NewDatabase(), shards: 2), new HttpClient(), Path.Combine(folder.Path, "sent"));
        await store.MigrateAsync(CancellationToken.None);
        var queue = new IngestionQueue(10_000);
        using var spool = new EventSpool(Path.Combine(folder.Path, "spool"));
        var writer = new EventBatchWriter(queue, store, spool, TimeProvider.System, NullLogger<EventBatchWriter>.Instance, maxBatchSize: 500);
        var running = writer.RunAsync(CancellationToken.None);
        var start = new DateTime(2026, 11, 2, 9, 0, 0, DateTimeKind.Utc);
        var acknowledged = 0;

        async Task SendAsync(int from, int count)
        {
            // Ten clients at a time, one event per request, each awaited until acknowledged.
            await Parallel.ForEachAsync(Enumerable.Range(from, count), new ParallelOptions { MaxDegreeOfParallelism = 10 }, async (i, token) =>
            {
                await queue.EnqueueAndWaitAsync([ClickHouseStoreTests.Event(0, visitor: i % 97, start.AddSeconds(i))], token);
                Interlocked.Increment(ref acknowledged);
            });
        }

        await SendAsync(0, 1_000);
        await servers.KillAsync(1);
        try
        {
            await SendAsync(1_000, 2_000);
            Assert.Equal(3_000, acknowledged);
            Assert.True(spool.Bytes > 0);
            await Poll.UntilAsync(() => store.UnreachableShards.Count == 1, Timeout);
        }
        finally
        {
            await servers.StartAsync(1);
        }
        await SendAsync(3_000, 500);
        await Poll.UntilAsync(async () => await store.CountEventsAsync(7, CancellationToken.None) >= 3_500, Timeout);
        queue.Complete();
        await running;

        Assert.Equal(3_500, await store.CountEventsAsync(7, CancellationToken.None));
        Assert.Equal(3_500, await store.Shards[0].ScalarAsync("SELECT uniqExact(node, seq) FROM events", CancellationToken.None));
        Assert.Empty(store.UnreachableShards);
    }

    [Fact]
    public async Task NodeRestartedWhileAShardIsDown_AcknowledgesAtOnce_AndStoresTheLastRunsSpoolOnceItReturns()
    {
        using var folder = new TempDirectory();
        var options = servers.Options(ClickHouseServers.NewDatabase(), shards: 2);
        var sent = Path.Combine(folder.Path, "sent");
        var spoolPath = Path.Combine(folder.Path, "spool");
        var start = new DateTime(2026, 11, 3, 9, 0, 0, DateTimeKind.Utc);

        // The last run: 500 events stored on both shards, then 300 acknowledged (spooled) and never loaded: it was killed.
        var before = new ClickHouseEventStore(options, new HttpClient(), sent);
        await before.MigrateAsync(CancellationToken.None);
        using (var spool = new EventSpool(spoolPath))
        {
            var events = Enumerable.Range(1, 800).Select(i => ClickHouseStoreTests.Event(i, visitor: i % 97, start.AddSeconds(i))).ToList();
            spool.Append(events);
            await before.AppendAsync(events.Take(500).ToList(), CancellationToken.None);
        }

        await servers.KillAsync(1);
        var store = new ClickHouseEventStore(options, new HttpClient(), sent);
        var queue = new IngestionQueue(10_000);
        using var restarted = new EventSpool(spoolPath);
        var writer = new EventBatchWriter(queue, store, restarted, TimeProvider.System, NullLogger<EventBatchWriter>.Instance, maxBatchSize: 500);
        var running = writer.RunAsync(CancellationToken.None);
        try
        {
            using var patience = new CancellationTokenSource(Timeout);
            await Parallel.ForEachAsync(Enumerable.Range(801, 200), new ParallelOptions { MaxDegreeOfParallelism = 10, CancellationToken = patience.Token }, async (i, token) =>
                await queue.EnqueueAndWaitAsync([ClickHouseStoreTests.Event(0, visitor: i % 97, start.AddSeconds(i))], token));
            Assert.False(running.IsCompleted);
        }
        finally
        {
            await servers.StartAsync(1);
        }
        await Poll.UntilAsync(async () => await store.CountEventsAsync(7, CancellationToken.None) >= 1_000, Timeout);
        queue.Complete();
        await running;

        Assert.Equal(1_000, await store.CountEventsAsync(7, CancellationToken.None));
        Assert.Equal(1_000, await store.Shards[0].ScalarAsync("SELECT uniqExact(node, seq) FROM events", CancellationToken.None));
        Assert.Equal(1_000, await store.Shards[0].ScalarAsync("SELECT max(seq) FROM events", CancellationToken.None));
    }
}
