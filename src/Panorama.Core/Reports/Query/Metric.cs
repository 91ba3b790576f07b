namespace Panorama.Core.Reports.Query;

/// <summary>The metrics of the query API, named as in Plausible's Stats API v2.</summary>
public enum Metric
{
    Visitors,
    Visits,
    Pageviews,
    ViewsPerVisit,
    BounceRate,
    VisitDuration,
    Events,
    Percentage,
    ConversionRate,
    GroupConversionRate,
    TotalRevenue,
    AverageRevenue,
    ScrollDepth,
    TimeOnPage,
}

public static class MetricNames
{
    static readonly Dictionary<string, Metric> ByName = new(StringComparer.Ordinal)
    {
        ["visitors"] = Metric.Visitors,
        ["visits"] = Metric.Visits,
        ["pageviews"] = Metric.Pageviews,
        ["views_per_visit"] = Metric.ViewsPerVisit,
        ["bounce_rate"] = Metric.BounceRate,
        ["visit_duration"] = Metric.VisitDuration,
        ["events"] = Metric.Events,
        ["percentage"] = Metric.Percentage,
        ["conversion_rate"] = Metric.ConversionRate,
        ["group_conversion_rate"] = Metric.GroupConversionRate,
        ["total_revenue"] = Metric.TotalRevenue,
        ["average_revenue"] = Metric.AverageRevenue,
        ["scroll_depth"] = Metric.ScrollDepth,
        ["time_on_page"] = Metric.TimeOnPage,
    };

    public static IEnumerable<string> All => ByName.Keys;

    public static bool TryParse(string? name, out Metric metric) => ByName.TryGetValue(name ?? "", out metric);

    public static string Name(Metric metric) => ByName.First(pair => pair.Value == metric).Key;
}
