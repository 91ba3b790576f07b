using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Panorama.Core.Ingestion;

/// <summary>
/// The one consumer of the ingestion queue, in three stages. The acknowledger takes whatever queued up while
/// it last wrote (group commit), numbers the events, writes them to the spool in one write and releases
/// the requests. The loader moves spooled events to the event store in large batches, so the store's
/// per-commit cost is paid once per many thousand events instead of once per request. The visit builder
/// then brings the store's visits up to date, over everything loaded since its last pass, so under load
/// one pass covers many batches. Both pace themselves (a load at most every <see cref="LoadPace"/> unless a full batch
/// waits, a visit pass at most every <see cref="VisitPace"/>, or <see cref="IdleVisitPace"/> while no one reads reports)
/// unless a report is waiting for the newest events: most of a pass's cost is fixed, so under load unpaced passes took most of a core
/// (bench/README.md).
/// </summary>
public sealed class EventBatchWriter(
    IngestionQueue queue, IEventSink sink, EventSpool spool, TimeProvider time, ILogger<EventBatchWriter> logger, int maxBatchSize = 50_000, LiveEvents? live = null,
    Sites.DeletedSiteEvents? deletedSites = null)
{
    // The acknowledged groups the loader has not taken yet, newest last, while they fit in two full loads; past that they
    // stay in the spool alone and the loader reads them back from it. So an event store that stops taking events costs
    // disk (bounded by the spool limit), not memory, and acknowledgements never wait for the loader. (A bound of 1,000
    // groups that made the acknowledger wait stalled it on 8 cores, where groups are small: bench README.)
    readonly ConcurrentQueue<List<EnrichedEvent>> unloaded = new();
    long unloadedCount;
    readonly Channel<bool> spooledSignal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        SingleReader = true,
        SingleWriter = true,
        FullMode = BoundedChannelFullMode.DropWrite,
    });
    long taken;
    volatile bool loaderDone;
    TaskCompletionSource committedSignal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly SemaphoreSlim loadedSignal = new(0);
    long nextSequence;
    long acknowledged;
    long loaded;
    long committed;
    long batches;
    long visitPasses;
    long loadingTicks;
    long visitTicks;
    int storageWaiters;
    volatile bool stopping;
    // Cuts a retry's back-off short when the writer stops, so a store that is down does not hold up the shutdown.
    readonly CancellationTokenSource stop = new();
    TaskCompletionSource hurry = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static readonly TimeSpan LoadPace = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan VisitPace = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The visit pace once no report has waited for <see cref="ReadingWindow"/>. A pass re-cuts every visitor whose
    /// events it covers, so passes three times rarer cost about half the CPU per event on real traffic, where a visit's
    /// pageviews reach several passes (bench/README.md); while dashboards are read, passes stay frequent so that a
    /// report waits for little. The first report after a quiet spell waits for up to this much of events.
    /// </summary>
    public static readonly TimeSpan IdleVisitPace = TimeSpan.FromSeconds(30);

    /// <summary>How long after a report waited for the store the writer still counts dashboards as being read.</summary>
    public static readonly TimeSpan ReadingWindow = TimeSpan.FromMinutes(5);

    long lastReportWait;

    /// <summary>Loads into the event store so far.</summary>
    public long Batches => Interlocked.Read(ref batches);

    /// <summary>Visit-building passes so far.</summary>
    public long VisitPasses => Interlocked.Read(ref visitPasses);

    /// <summary>Time spent loading into the event store and building visits so far (for the benchmark).</summary>
    public (TimeSpan Loading, TimeSpan BuildingVisits) StoreTime => (TimeSpan.FromTicks(Interlocked.Read(ref loadingTicks)), TimeSpan.FromTicks(Interlocked.Read(ref visitTicks)));

    /// <summary>Why the event store last refused a batch, while it keeps refusing; null once it takes them again.</summary>
    public string? StoreError { get; private set; }

    /// <summary>Events acknowledged but not yet in the event store's reports.</summary>
    public long Lag => Interlocked.Read(ref acknowledged) - Interlocked.Read(ref committed);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await ResumeAsync(cancellationToken);
        // Both paces count from here, before any event is acknowledged, however late their threads start.
        var started = time.GetTimestamp();
        var loader = Task.Run(() => LoadAsync(started), CancellationToken.None);
        var builder = Task.Run(() => BuildVisitsAsync(started), CancellationToken.None);
        try
        {
            await AcknowledgeAsync();
        }
        finally
        {
            stopping = true;
            await stop.CancelAsync();
            Volatile.Read(ref hurry).TrySetResult();
            spooledSignal.Writer.TryComplete();
            await loader;
            loadedSignal.Release();
            await builder;
        }
    }

    /// <summary>
    /// Completes when every event acknowledged before the call is in the event store, so reports include them;
    /// gives up after <paramref name="patience"/> (default 10 s) when the store is not taking events, so reports
    /// still answer, without the newest events.
    /// </summary>
    public async Task WaitUntilStoredAsync(CancellationToken cancellationToken, TimeSpan? patience = null)
    {
        Interlocked.Exchange(ref lastReportWait, time.GetTimestamp());
        var target = Interlocked.Read(ref acknowledged);
        if (Interlocked.Read(ref committed) >= target) return;
        var deadline = time.GetUtcNow() + (patience ?? TimeSpan.FromSeconds(10));
        Interlocked.Increment(ref storageWaiters);
        Volatile.Read(ref hurry).TrySetResult();
        try
        {
            while (Interlocked.Read(ref committed) < target)
            {
                var left = deadline - time.GetUtcNow();
                if (left <= TimeSpan.Zero) return;
                try
                {
                    await Volatile.Read(ref committedSignal).Task.WaitAsync(left, time, cancellationToken);
                }
                catch (TimeoutException)
                {
                    return;
                }
            }
        }
        finally
        {
            Interlocked.Decrement(ref storageWaiters);
        }
    }

    /// <summary>
    /// Waits until <paramref name="pace"/> has passed since <paramref name="since"/>, a report waits for the newest events,
    /// or <paramref name="due"/> says the work cannot wait (checked whenever the writer hurries).
    /// </summary>
    async Task PaceAsync(TimeSpan pace, long since, Func<bool>? due = null)
    {
        while (!stopping && Volatile.Read(ref storageWaiters) == 0 && due?.Invoke() != true)
        {
            var left = pace - time.GetElapsedTime(since);
            if (left <= TimeSpan.Zero) return;
            var signal = Volatile.Read(ref hurry);
            if (signal.Task.IsCompleted)
            {
                // A report came and went: start listening afresh.
                Interlocked.CompareExchange(ref hurry, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), signal);
                continue;
            }
            // Made due after the check above, its hurry may have been taken by the other stage: the signal read here is
            // one that whoever makes it due later will complete.
            if (due?.Invoke() == true) return;
            try
            {
                await signal.Task.WaitAsync(left, time);
            }
            catch (TimeoutException)
            {
                return;
            }
        }
    }

    TimeSpan CurrentVisitPace()
    {
        var read = Interlocked.Read(ref lastReportWait);
        return read != 0 && time.GetElapsedTime(read) < ReadingWindow ? VisitPace : IdleVisitPace;
    }

    /// <summary>
    /// Picks up where the last run stopped. What it left in the spool is a backlog the loader moves like any other,
    /// retrying while the store does not take it, so a node that starts during a store outage acknowledges events at
    /// once instead of failing on its first load.
    /// </summary>
    async Task ResumeAsync(CancellationToken cancellationToken)
    {
        var stored = await sink.MaxSequenceAsync(cancellationToken);
        var highest = await sink.HighestSequenceAsync(cancellationToken);
        // Events below the spool's first were in the store when their segments were deleted.
        taken = loaded = spool.FirstSequence is { } first ? Math.Max(stored, first - 1) : highest;
        nextSequence = acknowledged = Math.Max(spool.LastSequence ?? 0, highest);
        if (nextSequence > taken)
            logger.LogInformation("{Count} events spooled by the last run wait to be loaded into the event store", nextSequence - taken);
        committed = await sink.RefreshVisitsAsync(cancellationToken);
    }

    async Task AcknowledgeAsync()
    {
        var reader = queue.Reader;
        var pending = new List<PendingEvents>();
        while (await reader.WaitToReadAsync(CancellationToken.None))
        {
            pending.Clear();
            var events = new List<EnrichedEvent>();
            while (events.Count < maxBatchSize && reader.TryRead(out var item))
            {
                pending.Add(item);
                events.AddRange(item.Events);
            }
            foreach (var enriched in events) enriched.Sequence = ++nextSequence;
            try
            {
                spool.Append(events);
            }
            catch (Exception exception)
            {
                nextSequence -= events.Count;
                logger.LogError(exception, "Spooling a batch of {Count} events failed", events.Count);
                foreach (var item in pending) item.MarkFailed(exception);
                continue;
            }
            // In memory before it counts as acknowledged, so the loader finds every acknowledged group there unless it overflowed.
            if (events.Count > 0 && Interlocked.Read(ref unloadedCount) < 2L * maxBatchSize)
            {
                unloaded.Enqueue(events);
                Interlocked.Add(ref unloadedCount, events.Count);
            }
            Interlocked.Exchange(ref acknowledged, nextSequence);
            foreach (var item in pending) item.MarkCommitted();
            live?.Publish(events);
            spooledSignal.Writer.TryWrite(true);
            // A full load is waiting: the loader need not wait for its pace.
            if (nextSequence - Interlocked.Read(ref taken) >= maxBatchSize) Volatile.Read(ref hurry).TrySetResult();
        }
    }

    async Task LoadAsync(long lastLoad)
    {
        var batch = new List<EnrichedEvent>();
        while (true)
        {
            while (Interlocked.Read(ref acknowledged) <= Interlocked.Read(ref taken))
            {
                if (!await spooledSignal.Reader.WaitToReadAsync(CancellationToken.None))
                {
                    loaderDone = true;
                    return;
                }
                spooledSignal.Reader.TryRead(out _);
            }
            await PaceAsync(LoadPace, lastLoad, () => Interlocked.Read(ref acknowledged) - Interlocked.Read(ref taken) >= maxBatchSize);
            lastLoad = time.GetTimestamp();
            Take(batch);
            if (batch.Count == 0)
            {
                logger.LogError("Events {From}–{To} are acknowledged but not in the spool", Interlocked.Read(ref taken) + 1, Interlocked.Read(ref acknowledged));
                await Task.Delay(TimeSpan.FromSeconds(1), time);
                continue;
            }
            var stored = deletedSites?.Without(batch) ?? batch;
            for (var attempt = 1; stored.Count > 0; attempt++)
            {
                try
                {
                    var started = time.GetTimestamp();
                    await sink.AppendAsync(stored, CancellationToken.None);
                    Interlocked.Add(ref loadingTicks, time.GetElapsedTime(started).Ticks);
                    StoreError = null;
                    break;
                }
                catch (Exception exception)
                {
                    // The events are safe in the spool; keep trying, slower and slower.
                    StoreError = exception.Message;
                    logger.LogError(exception, "Loading {Count} events into the event store failed (attempt {Attempt})", batch.Count, attempt);
                    if (stopping)
                    {
                        // The next start loads them from the spool (ResumeAsync).
                        logger.LogWarning("Stopping with events {From}–{To} in the spool only", batch[0].Sequence, Interlocked.Read(ref acknowledged));
                        loaderDone = true;
                        return;
                    }
                    try
                    {
                        await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(30_000, 100 * Math.Pow(2, Math.Min(attempt, 10)))), time, stop.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        // Stopping: one last try.
                    }
                }
            }
            Interlocked.Increment(ref batches);
            Interlocked.Exchange(ref loaded, batch[^1].Sequence);
            spool.Release(batch[^1].Sequence);
            loadedSignal.Release();
        }
    }

    /// <summary>
    /// The next batch, in sequence after what the loader took last: from memory when the oldest group held there is the
    /// next, else (memory overflowed while the store was slow or down) read back from the spool up to that group.
    /// </summary>
    void Take(List<EnrichedEvent> batch)
    {
        batch.Clear();
        var after = Interlocked.Read(ref taken);
        while (unloaded.TryPeek(out var stale) && stale[^1].Sequence <= after) Dequeue();
        if (unloaded.TryPeek(out var next) && next[0].Sequence <= after + 1)
        {
            while (batch.Count < maxBatchSize && unloaded.TryPeek(out var group) && group[0].Sequence <= after + 1)
            {
                Dequeue();
                // A group a read from the spool already partly covered (it was held in memory just after that read began).
                foreach (var e in group)
                    if (e.Sequence > after) batch.Add(e);
                after = group[^1].Sequence;
            }
        }
        else
        {
            var through = Math.Min(next is null ? Interlocked.Read(ref acknowledged) : next[0].Sequence - 1, after + maxBatchSize);
            batch.AddRange(spool.Read(after, through));
        }
        if (batch.Count > 0) Interlocked.Exchange(ref taken, batch[^1].Sequence);
    }

    void Dequeue()
    {
        if (unloaded.TryDequeue(out var group)) Interlocked.Add(ref unloadedCount, -group.Count);
    }

    async Task BuildVisitsAsync(long lastPass)
    {
        while (true)
        {
            await loadedSignal.WaitAsync();
            await PaceAsync(CurrentVisitPace(), lastPass);
            lastPass = time.GetTimestamp();
            // Every signal that arrived meanwhile is covered by this one pass.
            while (loadedSignal.CurrentCount > 0) await loadedSignal.WaitAsync();
            var target = Interlocked.Read(ref loaded);
            if (target > Interlocked.Read(ref committed))
            {
                try
                {
                    var started = time.GetTimestamp();
                    // Everything loaded through target is covered, though the store may have got less (a deleted site's events dropped).
                    Interlocked.Exchange(ref committed, Math.Max(target, await sink.RefreshVisitsAsync(CancellationToken.None)));
                    Interlocked.Add(ref visitTicks, time.GetElapsedTime(started).Ticks);
                    Interlocked.Increment(ref visitPasses);
                }
                catch (Exception exception)
                {
                    logger.LogError(exception, "Building visits failed; retrying on the next batch");
                    // The next start builds them (ResumeAsync).
                    if (stopping) return;
                    await Task.Delay(TimeSpan.FromSeconds(1), time);
                    loadedSignal.Release();
                    continue;
                }
                Interlocked.Exchange(ref committedSignal, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            }
            if (loaderDone && Interlocked.Read(ref committed) >= Interlocked.Read(ref loaded)) return;
        }
    }
}
