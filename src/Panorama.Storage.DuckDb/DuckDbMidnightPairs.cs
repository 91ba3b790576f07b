using DuckDB.NET.Data;
using Panorama.Core.Ingestion;

namespace Panorama.Storage.DuckDb;

/// <summary>
/// The pairs of a person's ids either side of midnight UTC (schema in <see cref="DuckDbSchema.CreateMidnightPairs"/>),
/// which the visit pass uses to carry a visit over midnight. A pair matters only while events under either id can
/// still arrive: ids come from daily salts deleted 48 hours after they are made (a backfilled day gets a new salt,
/// hence new ids), so a pair is kept a week after it was stored, which also covers events held in the spool through
/// a store outage of days, and then pruned, so that every visit pass does not read every pair ever stored.
/// </summary>
public sealed partial class DuckDbEventStore
{
    /// <summary>How long a pair is kept after it was stored.</summary>
    public static readonly TimeSpan MidnightPairsKept = TimeSpan.FromDays(7);

    void NoteMidnightPairs(IReadOnlyList<EnrichedEvent> batch)
    {
        var pairs = batch
            .Select(e => (e.SiteId, Own: e.VisitorId, Previous: e.PreviousDayVisitorId, Day: DateOnly.FromDateTime(e.Timestamp)))
            .Where(p => p.Previous != 0 && p.Previous != p.Own)
            .Distinct()
            .ToList();
        if (pairs.Count == 0) return;
        var noted = DateTime.UtcNow;
        // An appender, not INSERT … VALUES (parsing those doubled the cost of a load in the half hour after midnight);
        // a person's later batches repeat the pair, which readers take DISTINCT.
        using var appender = writer.CreateAppender("midnight_pairs");
        foreach (var (siteId, own, previous, day) in pairs)
            appender.CreateRow().AppendValue(siteId).AppendValue(own).AppendValue(previous).AppendValue(day.ToDateTime(TimeOnly.MinValue)).AppendValue(noted).EndRow();
    }

    /// <summary>Deletes the pairs stored more than <see cref="MidnightPairsKept"/> before <paramref name="now"/>; returns how many.</summary>
    public long PruneMidnightPairs(DateTime now)
    {
        // The appends' lock: DuckDB refuses a transaction that deletes from a table another one is appending to.
        using var _ = writing.EnterScope();
        using var command = writer.CreateCommand();
        command.CommandText = "DELETE FROM midnight_pairs WHERE noted < $before";
        command.Parameters.Add(new DuckDBParameter("before", now - MidnightPairsKept));
        return command.ExecuteNonQuery();
    }
}
