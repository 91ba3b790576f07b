using Panorama.Core.Goals;

namespace Panorama.Core.Reports.Query;

/// <summary>
/// What an event store is asked: base metrics only (visitors … average_revenue); percentages, conversion
/// rates and comparisons are derived from several of these by <see cref="QueryService"/>.
/// </summary>
public sealed record StoreQuery
{
    public required int SiteId { get; init; }
    public required TimeZoneInfo TimeZone { get; init; }
    public required DateRange Range { get; init; }
    public required IReadOnlyList<Metric> Metrics { get; init; }
    public IReadOnlyList<Dimension> Dimensions { get; init; } = [];
    public Filter? Filter { get; init; }
    public IReadOnlyList<Goal> Goals { get; init; } = [];

    /// <summary>Order pushed down to the store: dimension names or metric names; null when ordering happens afterwards.</summary>
    public IReadOnlyList<(string Key, bool Descending)>? OrderBy { get; init; }
    public int? Limit { get; init; }
    public int Offset { get; init; }

    public static readonly Metric[] StoreMetrics =
        [Metric.Visitors, Metric.Visits, Metric.Pageviews, Metric.ViewsPerVisit, Metric.BounceRate, Metric.VisitDuration, Metric.Events, Metric.TotalRevenue, Metric.AverageRevenue];
}

/// <summary>The rows a store returns, and how many there were before pagination.</summary>
public sealed record StoreResult(IReadOnlyList<QueryRow> Rows, long TotalRows);

/// <summary>Revenue as Plausible reports it: an exact amount in one currency.</summary>
public sealed record Money(decimal Value, string Currency);

/// <summary>
/// Engagement of one page, over its visitors who reported any: the sum and count of each visitor's deepest scroll (%)
/// and of each visitor's total engaged milliseconds. Sums, not means, so that pages add up (a report filtered on pages).
/// </summary>
public sealed record PageEngagement(double ScrollSum, long ScrollCount, double EngagedMsSum, long EngagedCount)
{
    public static readonly PageEngagement None = new(0, 0, 0, 0);

    /// <summary>The mean of each visitor's deepest scroll, in whole percent.</summary>
    public double? ScrollDepth => ScrollCount == 0 ? null : Math.Round(ScrollSum / ScrollCount, MidpointRounding.AwayFromZero);

    /// <summary>The mean of each visitor's engaged time, in whole seconds.</summary>
    public double? TimeOnPage => EngagedCount == 0 ? null : Math.Round(EngagedMsSum / EngagedCount / 1000, MidpointRounding.AwayFromZero);

    public PageEngagement Plus(PageEngagement other) =>
        new(ScrollSum + other.ScrollSum, ScrollCount + other.ScrollCount, EngagedMsSum + other.EngagedMsSum, EngagedCount + other.EngagedCount);
}

public interface IQueryEngine
{
    Task<StoreResult> QueryAsync(StoreQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Engagement per page path from the engagement events of the query's range that pass its filter (each in the visit
    /// that started last at or before it, for conditions on visits; its dimensions and metrics are not read).
    /// </summary>
    Task<IReadOnlyDictionary<string, PageEngagement>> PageEngagementAsync(StoreQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// For each funnel step, the visitors who reached at least that step, in order, within one visit that starts in the
    /// range and passes the filter (<see cref="FunnelCalculator.StepsReached"/>; a visitor counts by their best visit).
    /// </summary>
    Task<IReadOnlyList<long>> FunnelReachAsync(StoreQuery query, IReadOnlyList<FunnelStep> steps, CancellationToken cancellationToken);

    /// <summary>
    /// Each conversion (event matching the goal) in the range, with its revenue and the same visitor's visits that started
    /// within the lookback before it — their channel and UTM campaign — for attribution.
    /// </summary>
    Task<IReadOnlyList<Attribution.ConversionPath>> ConversionPathsAsync(int siteId, DateRange range, Goals.Goal goal, TimeSpan lookback, CancellationToken cancellationToken);

    /// <summary>Custom property names used by the site's events in the range, the most used first (at most 100).</summary>
    Task<IReadOnlyList<string>> PropertyKeysAsync(int siteId, DateRange range, CancellationToken cancellationToken);

    /// <summary>The first day (UTC) with any event for the site, for the "all" range.</summary>
    Task<DateOnly?> FirstDayAsync(int siteId, CancellationToken cancellationToken);
}
