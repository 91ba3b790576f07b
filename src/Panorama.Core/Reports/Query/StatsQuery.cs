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
    /// <summary>The period compared with, already resolved in the site's time zone; null without a comparison.</summary>
    public DateRange? ComparisonRange { get; init; }
    public bool TimeLabels { get; init; }
    public bool TotalRows { get; init; }

    /// <summary>Plausible's <c>include.imports</c>: Panorama holds no imported aggregates, so the answer says none were included.</summary>
    public bool ImportsRequested { get; init; }

    /// <summary>The site's goals, used to match <c>event:goal</c> dimensions and filters.</summary>
    public IReadOnlyList<Goal> Goals { get; init; } = [];
}
