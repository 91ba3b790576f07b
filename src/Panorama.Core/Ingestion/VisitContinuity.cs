namespace Panorama.Core.Ingestion;

/// <summary>
/// Keeps a visit going across midnight UTC, when the daily salt changes: if the person's id under the
/// previous day's salt was active within the visit timeout, the event keeps that id. Holds only the
/// last half hour of activity; owned by the single batch writer, so not thread-safe.
/// </summary>
public sealed class VisitContinuity
{
    public static readonly TimeSpan VisitTimeout = TimeSpan.FromMinutes(30);
    readonly Dictionary<(int SiteId, long VisitorId), DateTime> lastSeen = new();
    DateTime newest = DateTime.MinValue;
    DateTime lastPrune = DateTime.MinValue;

    public void Remember(int siteId, long visitorId, DateTime timestamp)
    {
        var key = (siteId, visitorId);
        if (!lastSeen.TryGetValue(key, out var seen) || seen < timestamp) lastSeen[key] = timestamp;
        if (timestamp > newest) newest = timestamp;
    }

    /// <summary>Sets the event's visitor id to the one its visit already uses, and records the activity.</summary>
    public void Apply(EnrichedEvent enriched)
    {
        if (enriched.PreviousDayVisitorId != enriched.VisitorId
            && lastSeen.TryGetValue((enriched.SiteId, enriched.PreviousDayVisitorId), out var seen)
            && enriched.Timestamp >= seen && enriched.Timestamp - seen < VisitTimeout)
        {
            enriched.VisitorId = enriched.PreviousDayVisitorId;
        }
        Remember(enriched.SiteId, enriched.VisitorId, enriched.Timestamp);
        if (newest - lastPrune > TimeSpan.FromMinutes(5)) Prune();
    }

    void Prune()
    {
        lastPrune = newest;
        // An hour covers the visit timeout with room for backfills running a little behind live traffic.
        var cutoff = newest - TimeSpan.FromHours(1);
        foreach (var (key, seen) in lastSeen)
            if (seen < cutoff) lastSeen.Remove(key);
    }
}
