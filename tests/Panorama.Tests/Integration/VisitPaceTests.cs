using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Panorama.Core.Ingestion;
using Panorama.Storage.DuckDb;
using Panorama.Tests.Integration.ClickHouse;
using Panorama.Tests.Support;

namespace Panorama.Tests.Integration;

/// <summary>
/// The writer rebuilds visits rarely while no one reads reports and often while dashboards are read (a report waits
/// for a pass over what is pending, so frequent passes keep that wait short), and loads once a second unless a full
/// batch waits. On the clock of a fake time provider.
/// </summary>
public sealed class VisitPaceTests : IDisposable
{
    readonly TempDirectory folder = new();
    readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero));
    readonly DuckDbEventStore store;
    readonly EventSpool spool;
    readonly IngestionQueue queue = new(1_000);
    readonly EventBatchWriter writer;

    public VisitPaceTests()
    {
        store = new DuckDbEventStore(new DuckDbOptions { Path = Path.Combine(folder.Path, "events.duckdb"), Threads = 1, MemoryLimit = "256MB" });
        spool = new EventSpool(Path.Combine(folder.Path, "spool"));
        writer = new EventBatchWriter(queue, store, spool, time, NullLogger<EventBatchWriter>.Instance);
    }

    [Fact]
    public async Task VisitPasses_EveryThirtySecondsWhileNoReportIsRead_EveryTenOnceOneIs()
    {
        var running = writer.RunAsync(CancellationToken.None);
        await SendAsync(visitor: 1);

        await AdvanceAsync(seconds: 25);
        await UntilAsync(() => writer.Batches == 1);
        await Task.Delay(300);
        Assert.Equal(0, writer.VisitPasses); // idle: not before 30 s

        await AdvanceAsync(seconds: 6);
        await UntilAsync(() => writer.VisitPasses == 1);

        await writer.WaitUntilStoredAsync(CancellationToken.None); // a report reads: nothing pending, but the pace quickens
        await SendAsync(visitor: 2);
        await AdvanceAsync(seconds: 11);
        await UntilAsync(() => writer.VisitPasses == 2);

        queue.Complete();
        await running;
    }

    [Fact]
    public async Task Acknowledgements_DoNotWaitForTheLoadersPace_AndFullBatchesLoadAtOnce()
    {
        // Requests one at a time, as on a server whose acknowledger keeps up: 1,500 groups of one event. The clock
        // does not move until the end, so only full batches (100 events here) may be loaded, each as soon as it is full.
        var paced = new EventBatchWriter(queue, store, spool, time, NullLogger<EventBatchWriter>.Instance, maxBatchSize: 100);
        var running = paced.RunAsync(CancellationToken.None);
        var sending = Task.Run(async () =>
        {
            for (var visitor = 1; visitor <= 1_500; visitor++) await SendAsync(visitor);
        });

        await sending.WaitAsync(TimeSpan.FromSeconds(30));
        await UntilAsync(async () => await store.MaxSequenceAsync(CancellationToken.None) > 1_400); // less than a batch left
        // Then the pace loads the rest. A few steps: a timer the loader set while the clock moved counts from after the move.
        await AdvanceAsync(seconds: 3);
        await UntilAsync(async () => await store.MaxSequenceAsync(CancellationToken.None) == 1_500);

        queue.Complete();
        await running;
    }

    Task SendAsync(long visitor) =>
        queue.EnqueueAndWaitAsync([ClickHouseStoreTests.Event(0, visitor, time.GetUtcNow().UtcDateTime)], CancellationToken.None);

    /// <summary>Moves the clock a second at a time, giving the writer's loops a moment of real time to react to each.</summary>
    async Task AdvanceAsync(int seconds)
    {
        for (var i = 0; i < seconds; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(20);
        }
    }

    static Task UntilAsync(Func<bool> condition) => Poll.UntilAsync(condition, TimeSpan.FromSeconds(15));

    static Task UntilAsync(Func<Task<bool>> condition) => Poll.UntilAsync(condition, TimeSpan.FromSeconds(15));

    public void Dispose()
    {
        spool.Dispose();
        store.Dispose();
        folder.Dispose();
    }
}
