using System.Threading.Channels;

namespace Panorama.Core.Ingestion;

/// <summary>
/// The bounded queue between request handlers and the single batch writer. When full, writers wait
/// rather than drop: back-pressure reaches the HTTP clients instead of losing events.
/// </summary>
public sealed class IngestionQueue(int capacity)
{
    readonly Channel<PendingEvents> channel = Channel.CreateBounded<PendingEvents>(new BoundedChannelOptions(capacity)
    {
        FullMode = BoundedChannelFullMode.Wait,
        SingleReader = true,
    });

    long accepted;
    long dropped;

    public ChannelReader<PendingEvents> Reader => channel.Reader;
    public long Accepted => Interlocked.Read(ref accepted);
    public long Dropped => Interlocked.Read(ref dropped);
    public int Depth => channel.Reader.Count;

    /// <summary>Queues the events and completes when they are durable.</summary>
    public async Task EnqueueAndWaitAsync(IReadOnlyList<EnrichedEvent> events, CancellationToken cancellationToken)
    {
        var pending = new PendingEvents(events);
        await channel.Writer.WriteAsync(pending, cancellationToken);
        await pending.Committed.WaitAsync(cancellationToken);
        Interlocked.Add(ref accepted, events.Count);
    }

    /// <summary>Counts an event that was answered 2xx on purpose but not stored (bot, spam).</summary>
    public void CountDropped() => Interlocked.Increment(ref dropped);

    public void Complete() => channel.Writer.TryComplete();
}
