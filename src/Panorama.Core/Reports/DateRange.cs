namespace Panorama.Core.Reports;

/// <summary>A half-open interval of UTC instants [From, To).</summary>
public sealed record DateRange(DateTime From, DateTime To)
{
    /// <summary>Whole local days first..last (inclusive) in a time zone, as UTC instants.</summary>
    public static DateRange ForDays(DateOnly first, DateOnly last, TimeZoneInfo zone) => new(
        TimeZoneInfo.ConvertTimeToUtc(first.ToDateTime(TimeOnly.MinValue), zone),
        TimeZoneInfo.ConvertTimeToUtc(last.AddDays(1).ToDateTime(TimeOnly.MinValue), zone));
}
