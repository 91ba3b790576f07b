using Panorama.Core.Goals;
using Panorama.Core.Sites;

namespace Panorama.Core.Reports.Query;

/// <summary>A validated query: what the store computes, for one site and one UTC range.</summary>
public sealed record StatsQuery
{
    public required Site Site { get; init; }
    public required TimeZoneInfo TimeZone { get; init; }
    public required DateRange Range { get; init; }
    public required IReadOnlyList<Metric> Metrics { get; init; }
    public IReadOnlyList<Dimension> Dimensions { get; init; } = [];
    public Filter? Filter { get; init; }
    public IReadOnlyList<(string Key, bool Descending)> OrderBy { get; init; } = [];
    public int Limit { get; init; } = 10_000;
    public int Offset { get; init; }
    public ComparisonMode? Comparison { get; init; }
    public bool TimeLabels { get; init; }
    public bool TotalRows { get; init; }

    /// <summary>The site's goals, used to match <c>event:goal</c> dimensions and filters.</summary>
    public IReadOnlyList<Goal> Goals { get; init; } = [];
}
