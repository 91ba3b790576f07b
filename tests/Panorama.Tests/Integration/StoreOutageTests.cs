using Microsoft.Extensions.Logging.Abstractions;
using Panorama.Core.Ingestion;
using Panorama.Storage.DuckDb;
using Panorama.Tests.Integration.ClickHouse;
using Panorama.Tests.Support;

namespace Panorama.Tests.Integration;

/// <summary>
/// While the event store refuses batches, ingestion keeps acknowledging into the spool, far past what the writer keeps
/// in memory; once the store takes batches again, it gets every acknowledged event once, in order, read back from the
/// spool where memory did not hold them.
/// </summary>
public sealed class StoreOutageTests : IDisposable
{
    readonly TempDirectory folder = new();
    readonly DuckDbEventStore store;
    readonly EventSpool spool;

    public StoreOutageTests()
    {
        store = new DuckDbEventStore(new DuckDbOptions { Path = Path.Combine(folder.Path, "events.duckdb"), Threads = 1, MemoryLimit = "256MB" });
        spool = new EventSpool(Path.Combine(folder.Path, "spool"), segmentBytes: 16 * 1024);
    }

    [Fact]
    public async Task StoreDown_AcknowledgementsContinue_ThenEveryEventStoredOnce()
    {
        var sink = new RefusingSink(store) { Down = true };
        var queue = new IngestionQueue(1_000);
        // At most two batches of 100 are kept in memory: the other 1,300 events must come back from the spool.
        var writer = new EventBatchWriter(queue, sink, spool, TimeProvider.System, NullLogger<EventBatchWriter>.Instance, maxBatchSize: 100);
        var running = writer.RunAsync(CancellationToken.None);
        var start = new DateTime(2026, 11, 2, 9, 0, 0, DateTimeKind.Utc);

        for (var i = 1; i <= 1_500; i++)
            await queue.EnqueueAndWaitAsync([ClickHouseStoreTests.Event(0, visitor: i % 97, start.AddSeconds(i))], CancellationToken.None)
                .WaitAsync(TimeSpan.FromSeconds(10));
        await Poll.UntilAsync(() => writer.StoreError is not null, TimeSpan.FromSeconds(10)); // the loader tried the store
        Assert.Equal(0, sink.Appended);

        sink.Down = false;
        await writer.WaitUntilStoredAsync(CancellationToken.None, patience: TimeSpan.FromSeconds(60));
        Assert.Equal(1_500, await store.MaxSequenceAsync(CancellationToken.None));
        Assert.Equal(1_500, sink.Appended);
        Assert.Equal(Enumerable.Range(1, 1_500).Select(i => (long)i), sink.Sequences);

        queue.Complete();
        await running;
    }

    [Fact]
    public async Task StoreDownAtShutdown_WriterStopsAtOnce_AndTheNextStartStoresWhatItLeftOnce()
    {
        var sink = new RefusingSink(store) { Down = true };
        var start = new DateTime(2026, 11, 2, 9, 0, 0, DateTimeKind.Utc);
        var spoolPath = Path.Combine(folder.Path, "restarted");
        using (var first = new EventSpool(spoolPath, segmentBytes: 16 * 1024))
        {
            var queue = new IngestionQueue(1_000);
            var writer = new EventBatchWriter(queue, sink, first, TimeProvider.System, NullLogger<EventBatchWriter>.Instance, maxBatchSize: 100);
            var running = writer.RunAsync(CancellationToken.None);
            for (var i = 1; i <= 300; i++)
                await queue.EnqueueAndWaitAsync([ClickHouseStoreTests.Event(0, visitor: i % 97, start.AddSeconds(i))], CancellationToken.None)
                    .WaitAsync(TimeSpan.FromSeconds(10));
            await Poll.UntilAsync(() => writer.StoreError is not null, TimeSpan.FromSeconds(10));
            queue.Complete();
            // Not held up by retries against a store that is down: what is not stored stays in the spool.
            await running.WaitAsync(TimeSpan.FromSeconds(10));
        }
        Assert.Equal(0, sink.Appended);

        sink.Down = false;
        using var second = new EventSpool(spoolPath, segmentBytes: 16 * 1024);
        var nextQueue = new IngestionQueue(1_000);
        var next = new EventBatchWriter(nextQueue, sink, second, TimeProvider.System, NullLogger<EventBatchWriter>.Instance, maxBatchSize: 100);
        var resumed = next.RunAsync(CancellationToken.None);
        for (var i = 301; i <= 350; i++)
            await nextQueue.EnqueueAndWaitAsync([ClickHouseStoreTests.Event(0, visitor: i % 97, start.AddSeconds(i))], CancellationToken.None)
                .WaitAsync(TimeSpan.FromSeconds(10));
        await next.WaitUntilStoredAsync(CancellationToken.None, patience: TimeSpan.FromSeconds(60));
        Assert.Equal(Enumerable.Range(1, 350).Select(i => (long)i), sink.Sequences);
        Assert.Equal(350, store.CountEvents(7));
        nextQueue.Complete();
        await resumed;
    }

    /// <summary>The real store behind a switch that makes it refuse batches, as a store that is down does.</summary>
    sealed class RefusingSink(IEventSink store) : IEventSink
    {
        public volatile bool Down;
        public readonly List<long> Sequences = [];
        public int Appended => Sequences.Count;

        public async Task AppendAsync(IReadOnlyList<EnrichedEvent> batch, CancellationToken cancellationToken)
        {
            if (Down) throw new IOException("The event store is down.");
            await store.AppendAsync(batch, cancellationToken);
            Sequences.AddRange(batch.Select(e => e.Sequence));
        }

        public Task<long> RefreshVisitsAsync(CancellationToken cancellationToken) => store.RefreshVisitsAsync(cancellationToken);

        public Task<long> MaxSequenceAsync(CancellationToken cancellationToken) => store.MaxSequenceAsync(cancellationToken);

        public Task<long> DeleteSiteAsync(int siteId, CancellationToken cancellationToken) => store.DeleteSiteAsync(siteId, cancellationToken);

        public Task<long> DeleteBeforeAsync(DateTime cutoff, CancellationToken cancellationToken) => store.DeleteBeforeAsync(cutoff, cancellationToken);
    }

    public void Dispose()
    {
        spool.Dispose();
        store.Dispose();
        folder.Dispose();
    }
}
