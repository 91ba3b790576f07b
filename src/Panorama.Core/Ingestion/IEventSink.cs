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

    /// <summary>Removes a deleted site's events and all the store derived from them; returns how many events went.</summary>
    Task<long> DeleteSiteAsync(int siteId, CancellationToken cancellationToken);

    /// <summary>
    /// Removes every event before <paramref name="cutoff"/> (the first instant of a UTC month, <see cref="EventRetention"/>) and
    /// what the store derived from them; returns how many events went.
    /// </summary>
    Task<long> DeleteBeforeAsync(DateTime cutoff, CancellationToken cancellationToken);

    /// <summary>
    /// The highest sequence stored anywhere; new events are numbered after it. Differs from <see cref="MaxSequenceAsync"/>
    /// in a sharded store where one shard took a batch that another did not.
    /// </summary>
    Task<long> HighestSequenceAsync(CancellationToken cancellationToken) => MaxSequenceAsync(cancellationToken);
}
