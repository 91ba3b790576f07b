namespace Panorama.Core.Department;

/// <summary>A dated version of the marketing strategy (P1, P5); a newer version supersedes it from its date.</summary>
public sealed class Strategy
{
    public required string Id { get; init; }
    public required string Title { get; init; }
    public DateOnly EffectiveFrom { get; init; }
    public List<Objective> Objectives { get; init; } = [];
}

public sealed class Objective
{
    public required string Id { get; init; }
    public required string Title { get; init; }
    public List<Kpi> Kpis { get; init; } = [];
}

public enum KpiDirection { AtLeast, AtMost, IncreaseTo, DecreaseTo }

/// <summary>
/// A key result: either an analytics query (site, metric, filters in the Stats API's form) measured live over
/// the KPI's period, or a manual figure from dated check-ins.
/// </summary>
public sealed class Kpi
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    /// <summary>The site's domain; settable so a change of the site's domain can follow (<see cref="DepartmentStore.RenameSite"/>).</summary>
    public string? Site { get; set; }
    public string? Metric { get; init; }

    /// <summary>Stats API v2 filters as JSON, e.g. <c>[["is", "event:goal", ["Purchase"]]]</c>.</summary>
    public string? FiltersJson { get; init; }

    public decimal Target { get; init; }
    public KpiDirection Direction { get; init; } = KpiDirection.AtLeast;

    /// <summary>Starting value for "increase to"/"decrease to" targets.</summary>
    public decimal? Baseline { get; init; }

    public DateOnly PeriodFrom { get; init; }
    public DateOnly PeriodTo { get; init; }
    public List<CheckIn> CheckIns { get; init; } = [];

    public bool IsAnalytics => Site is not null && Metric is not null;
}

public sealed record CheckIn(DateOnly On, decimal Value);
