namespace Panorama.Core.Ingestion;

/// <summary>
/// Keeps a visit going across midnight UTC, when the daily salt changes: if the person's id under the
/// previous day's salt was active within the visit timeout, the event keeps that id, and so do the person's
/// later events for as long as the visit goes on (gaps under the timeout), past the first half hour too. Holds
/// only the last hour of activity; owned by the single batch writer, so not thread-safe.
/// </summary>
public sealed class VisitContinuity
{
    public static readonly TimeSpan VisitTimeout = TimeSpan.FromMinutes(30);
    readonly Dictionary<(int SiteId, long VisitorId), DateTime> lastSeen = new();
    // Today's id → yesterday's id it continues: events after the first half hour carry no previous-day id.
    readonly Dictionary<(int SiteId, long VisitorId), long> continued = new();
    DateTime newest = DateTime.MinValue;
    DateTime lastPrune = DateTime.MinValue;

    public void Remember(int siteId, long visitorId, DateTime timestamp)
    {
        var key = (siteId, visitorId);
        if (!lastSeen.TryGetValue(key, out var seen) || seen < timestamp) lastSeen[key] = timestamp;
        if (timestamp > newest) newest = timestamp;
    }

    /// <summary>
    /// Sets the event's visitor id to the one its visit already uses, and records the activity. Engagement events
    /// take the id too but, as they neither start nor extend a visit, do not keep yesterday's visitor going.
    /// </summary>
    public void Apply(EnrichedEvent enriched)
    {
        var today = (enriched.SiteId, enriched.VisitorId);
        var yesterday = enriched.PreviousDayVisitorId != enriched.VisitorId ? enriched.PreviousDayVisitorId : continued.GetValueOrDefault(today);
        var counts = enriched.Name != EnrichedEvent.Engagement;
        if (yesterday != 0
            && lastSeen.TryGetValue((enriched.SiteId, yesterday), out var seen)
            && enriched.Timestamp >= seen && enriched.Timestamp - seen < VisitTimeout)
        {
            if (counts) continued[today] = yesterday;
            enriched.DayVisitorId = enriched.VisitorId;
            enriched.VisitorId = yesterday;
        }
        if (counts) Remember(enriched.SiteId, enriched.VisitorId, enriched.Timestamp);
        if (newest - lastPrune > TimeSpan.FromMinutes(5)) Prune();
    }

    void Prune()
    {
        lastPrune = newest;
        // An hour covers the visit timeout with room for backfills running a little behind live traffic.
        var cutoff = newest - TimeSpan.FromHours(1);
        foreach (var (key, seen) in lastSeen)
            if (seen < cutoff) lastSeen.Remove(key);
        foreach (var (key, yesterday) in continued)
            if (!lastSeen.ContainsKey((key.SiteId, yesterday))) continued.Remove(key);
    }
}
