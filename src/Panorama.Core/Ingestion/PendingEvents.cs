namespace Panorama.Core.Ingestion;

/// <summary>The events of one request, waiting for the batch that makes them durable.</summary>
public sealed class PendingEvents(IReadOnlyList<EnrichedEvent> events)
{
    readonly TaskCompletionSource completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<EnrichedEvent> Events { get; } = events;

    /// <summary>Completes when the events are committed; faults when the store refused them.</summary>
    public Task Committed => completion.Task;

    internal void MarkCommitted() => completion.TrySetResult();
    internal void MarkFailed(Exception exception) => completion.TrySetException(exception);
}
