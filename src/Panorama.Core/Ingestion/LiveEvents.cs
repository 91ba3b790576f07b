using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Panorama.Core.Ingestion;

/// <summary>
/// Fans acknowledged events out to live subscribers (the realtime stream). A slow subscriber loses its
/// oldest events rather than slowing ingestion down.
/// </summary>
public sealed class LiveEvents
{
    readonly ConcurrentDictionary<Guid, (int SiteId, Channel<EnrichedEvent> Channel)> subscribers = new();

    public (Guid Id, ChannelReader<EnrichedEvent> Reader) Subscribe(int siteId)
    {
        var channel = Channel.CreateBounded<EnrichedEvent>(new BoundedChannelOptions(1_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        var id = Guid.NewGuid();
        subscribers[id] = (siteId, channel);
        return (id, channel.Reader);
    }

    public void Unsubscribe(Guid id)
    {
        if (subscribers.TryRemove(id, out var subscriber)) subscriber.Channel.Writer.TryComplete();
    }

    public void Publish(IReadOnlyList<EnrichedEvent> events)
    {
        if (subscribers.IsEmpty) return;
        foreach (var (siteId, channel) in subscribers.Values)
        {
            foreach (var e in events)
                if (e.SiteId == siteId) channel.Writer.TryWrite(e);
        }
    }
}
