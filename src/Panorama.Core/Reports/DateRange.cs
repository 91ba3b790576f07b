namespace Panorama.Core.Reports;

/// <summary>A half-open interval of UTC instants [From, To).</summary>
public sealed record DateRange(DateTime From, DateTime To)
{
    /// <summary>The days a report may ask for: room for a comparison period before them and a time zone either side.</summary>
    public static readonly DateOnly FirstDay = new(1970, 1, 1), LastDay = new(2999, 12, 31);

    public static bool Reportable(DateOnly day) => day >= FirstDay && day <= LastDay;

    /// <summary>Whole local days first..last (inclusive) in a time zone, as UTC instants.</summary>
    public static DateRange ForDays(DateOnly first, DateOnly last, TimeZoneInfo zone) => new(
        TimeZoneInfo.ConvertTimeToUtc(first.ToDateTime(TimeOnly.MinValue), zone),
        TimeZoneInfo.ConvertTimeToUtc(last.AddDays(1).ToDateTime(TimeOnly.MinValue), zone));
}
