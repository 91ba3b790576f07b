namespace Panorama.Web.Stats;

/// <summary>What each number means, returned with reports so clients can show it next to the figure.</summary>
public static class MetricDefinitions
{
    public static readonly IReadOnlyDictionary<string, string> All = new Dictionary<string, string>
    {
        ["visitors"] = "Distinct visitors with a pageview or custom event in the period. A visitor is one IP address and User-Agent on one site for one UTC day (a visit running past midnight keeps its visitor); the same person on two days counts twice.",
        ["visits"] = "Visits that start in the period. A visit is a visitor's pageviews and custom events with gaps under 30 minutes, cut after 24 hours; engagement events do not start or extend visits.",
        ["pageviews"] = "Pageview events in the period.",
        ["views_per_visit"] = "Average number of pageviews in the visits that start in the period, to 2 decimals.",
        ["bounce_rate"] = "Percentage of the period's visits with at most one pageview and no interactive custom event, rounded to a whole percent.",
        ["visit_duration"] = "Average seconds between the first and last event of the period's visits (0 for a single-event visit), rounded.",
        ["events"] = "Pageviews plus custom events in the period (engagement events excluded).",
        ["conversion_rate"] = "Percentage of the period's visitors (under the other filters) who reached the goal, to 2 decimals.",
        ["time_on_page"] = "Average, over the page's visitors who reported engagement, of each visitor's seconds with the page shown, from the tracker's engagement events; rounded.",
        ["scroll_depth"] = "Average, over the page's visitors who reported engagement, of each visitor's deepest scroll down the page, in percent; rounded.",
    };
}
