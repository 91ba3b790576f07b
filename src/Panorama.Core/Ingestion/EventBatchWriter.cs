using Microsoft.Extensions.Logging;

namespace Panorama.Core.Ingestion;

/// <summary>
/// The one consumer of the ingestion queue. It takes whatever has queued up (up to a batch limit) while
/// the previous batch was committing, writes it with the store's bulk path, and only then releases the
/// requests: group commit, so load raises batch size instead of write count.
/// </summary>
public sealed class EventBatchWriter(IngestionQueue queue, IEventSink sink, TimeProvider time, ILogger<EventBatchWriter> logger, int maxBatchSize = 10_000)
{
    readonly VisitContinuity continuity = new();
    long batches;

    public long Batches => Interlocked.Read(ref batches);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var since = time.GetUtcNow().UtcDateTime - VisitContinuity.VisitTimeout;
        foreach (var (siteId, visitorId, lastSeen) in await sink.RecentVisitorsAsync(since, cancellationToken))
            continuity.Remember(siteId, visitorId, lastSeen);

        var reader = queue.Reader;
        var pending = new List<PendingEvents>();
        var events = new List<EnrichedEvent>();
        while (await reader.WaitToReadAsync(CancellationToken.None))
        {
            pending.Clear();
            events.Clear();
            while (events.Count < maxBatchSize && reader.TryRead(out var item))
            {
                pending.Add(item);
                events.AddRange(item.Events);
            }
            // Arrival order within a batch can differ from event time (backfills); continuity needs time order.
            // The sort is stable, so events with equal timestamps keep their arrival order.
            var ordered = events.OrderBy(e => e.Timestamp).ToList();
            foreach (var enriched in ordered) continuity.Apply(enriched);
            try
            {
                await sink.AppendAsync(ordered, CancellationToken.None);
                Interlocked.Increment(ref batches);
                foreach (var item in pending) item.MarkCommitted();
            }
            catch (Exception exception)
            {
                logger.LogError(exception, "Writing a batch of {Count} events failed", events.Count);
                foreach (var item in pending) item.MarkFailed(exception);
            }
        }
    }
}
