using System.Globalization;

namespace Panorama.Core.Reports.Query;

/// <summary>Time buckets of the <c>time</c> dimensions: their grain and every label of a range, in the site's zone.</summary>
public static class TimeBuckets
{
    /// <summary>The grain the plain <c>time</c> dimension uses for a range.</summary>
    public static TimeGrain Auto(DateRange range) => (range.To - range.From) switch
    {
        var span when span <= TimeSpan.FromDays(2) => TimeGrain.Hour,
        var span when span <= TimeSpan.FromDays(93) => TimeGrain.Day,
        _ => TimeGrain.Month,
    };

    /// <summary>Minutes are for realtime and short ranges: a query by the minute covers two days at most.</summary>
    public static readonly TimeSpan MinuteRangeLimit = TimeSpan.FromDays(2);

    public static string Format(DateTime local, TimeGrain grain) => grain switch
    {
        TimeGrain.Minute => local.ToString("yyyy-MM-dd HH:mm:00", CultureInfo.InvariantCulture),
        TimeGrain.Hour => local.ToString("yyyy-MM-dd HH:00:00", CultureInfo.InvariantCulture),
        _ => local.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
    };

    public static DateTime Truncate(DateTime local, TimeGrain grain) => grain switch
    {
        TimeGrain.Minute => new DateTime(local.Year, local.Month, local.Day, local.Hour, local.Minute, 0),
        TimeGrain.Hour => new DateTime(local.Year, local.Month, local.Day, local.Hour, 0, 0),
        TimeGrain.Day => local.Date,
        TimeGrain.Week => local.Date.AddDays(-(((int)local.DayOfWeek + 6) % 7)),
        _ => new DateTime(local.Year, local.Month, 1),
    };

    /// <summary>Every bucket label from the range's start to its end.</summary>
    public static IReadOnlyList<string> Labels(DateRange range, TimeZoneInfo zone, TimeGrain grain)
    {
        var first = Truncate(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(range.From, DateTimeKind.Utc), zone), grain);
        var end = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(range.To, DateTimeKind.Utc), zone);
        var labels = new List<string>();
        for (var bucket = first; bucket < end && labels.Count < 100_000; bucket = Next(bucket, grain))
            labels.Add(Format(bucket, grain));
        return labels;
    }

    static DateTime Next(DateTime bucket, TimeGrain grain) => grain switch
    {
        TimeGrain.Minute => bucket.AddMinutes(1),
        TimeGrain.Hour => bucket.AddHours(1),
        TimeGrain.Day => bucket.AddDays(1),
        TimeGrain.Week => bucket.AddDays(7),
        _ => bucket.AddMonths(1),
    };
}
