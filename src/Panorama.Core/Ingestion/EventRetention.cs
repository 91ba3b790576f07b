namespace Panorama.Core.Ingestion;

/// <summary>
/// How long events are kept (<c>Panorama:Events:RetentionMonths</c>): whole UTC months, so ClickHouse drops a month's
/// partition and DuckDB deletes the same rows. Events stay at least that many months: with 12, on 2026-11-28 every event
/// from 2025-11-01 on is kept.
/// </summary>
public static class EventRetention
{
    /// <summary>The first instant kept: 00:00 UTC on the first day of the month <paramref name="months"/> months back.</summary>
    public static DateTime Cutoff(DateTimeOffset now, int months)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(months);
        var back = now.UtcDateTime.AddMonths(-months);
        return new DateTime(back.Year, back.Month, 1, 0, 0, 0, DateTimeKind.Utc);
    }
}
