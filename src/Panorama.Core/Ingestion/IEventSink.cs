namespace Panorama.Core.Ingestion;

/// <summary>Where ingested events are written, in batches, by the single batch writer.</summary>
public interface IEventSink
{
    /// <summary>Appends and commits the batch; when this returns, the events survive a crash of the process.</summary>
    Task AppendAsync(IReadOnlyList<EnrichedEvent> batch, CancellationToken cancellationToken);

    /// <summary>
    /// Brings what the store derives from events (visits) up to date with every appended event; returns the
    /// last sequence covered. Reports include an event once this has covered it.
    /// </summary>
    Task<long> RefreshVisitsAsync(CancellationToken cancellationToken);

    /// <summary>The highest <see cref="EnrichedEvent.Sequence"/> up to which every event is stored, 0 when empty; replay skips events up to it.</summary>
    Task<long> MaxSequenceAsync(CancellationToken cancellationToken);

    /// <summary>
    /// True when the store itself decides, when reports are made, which of yesterday's visitors an event continues
    /// (visits across midnight): the writer then stores each event's own and previous-day ids as they came, since
    /// with several nodes no one node has seen all of a visitor's events.
    /// </summary>
    bool DerivesVisitContinuity => false;

    /// <summary>
    /// The highest sequence stored anywhere; new events are numbered after it. Differs from <see cref="MaxSequenceAsync"/>
    /// in a sharded store where one shard took a batch that another did not.
    /// </summary>
    Task<long> HighestSequenceAsync(CancellationToken cancellationToken) => MaxSequenceAsync(cancellationToken);

    /// <summary>Visitors active since <paramref name="since"/> with their last event time, to continue visits after a restart.</summary>
    Task<IReadOnlyList<(int SiteId, long VisitorId, DateTime LastSeen)>> RecentVisitorsAsync(DateTime since, CancellationToken cancellationToken);
}
