namespace Panorama.Core.Department;

/// <summary>Where a KPI stands: its current value, the share of the way to the target, and the value expected at the period's end.</summary>
public sealed record KpiStatus(Kpi Kpi, decimal? Value, decimal? Progress, decimal? Expected, bool? OnTrack, string? Error = null)
{
    /// <summary>Counts that add up over the period (projected by elapsed time); everything else is a rate, projected as it stands.</summary>
    static readonly HashSet<string> Cumulative = ["visitors", "visits", "pageviews", "events", "total_revenue"];

    public static KpiStatus Of(Kpi kpi, decimal? value, DateOnly today)
    {
        if (value is not { } current) return new KpiStatus(kpi, null, null, null, null);
        var expected = Project(kpi, current, today);
        return new KpiStatus(kpi, current, ShareOfTheWay(kpi, current), expected, Meets(kpi, expected));
    }

    /// <summary>The manual KPI's value: its latest check-in on or before <paramref name="today"/>.</summary>
    public static decimal? ManualValue(Kpi kpi, DateOnly today) =>
        kpi.CheckIns.Where(c => c.On <= today).MaxBy(c => c.On)?.Value;

    static decimal Project(Kpi kpi, decimal value, DateOnly today)
    {
        var total = kpi.PeriodTo.DayNumber - kpi.PeriodFrom.DayNumber + 1;
        var elapsed = Math.Clamp(today.DayNumber - kpi.PeriodFrom.DayNumber + 1, 1, total);
        if (kpi.IsAnalytics)
            return kpi.Metric is { } metric && Cumulative.Contains(metric) ? Math.Round(value * total / elapsed, 2) : value;
        // Manual KPIs: the line through the first and the latest check-in, carried to the period's end.
        var points = kpi.CheckIns.Where(c => c.On <= today).OrderBy(c => c.On).ToList();
        if (points.Count < 2 || points[^1].On == points[0].On) return value;
        var slope = (points[^1].Value - points[0].Value) / (points[^1].On.DayNumber - points[0].On.DayNumber);
        return Math.Round(points[^1].Value + slope * (kpi.PeriodTo.DayNumber - points[^1].On.DayNumber), 2);
    }

    static decimal? ShareOfTheWay(Kpi kpi, decimal value)
    {
        switch (kpi.Direction)
        {
            case KpiDirection.AtLeast or KpiDirection.IncreaseTo:
                var start = kpi.Direction == KpiDirection.IncreaseTo ? kpi.Baseline ?? 0 : 0;
                return kpi.Target == start ? null : Math.Round((value - start) / (kpi.Target - start), 4);
            case KpiDirection.DecreaseTo when kpi.Baseline is { } baseline && baseline != kpi.Target:
                return Math.Round((baseline - value) / (baseline - kpi.Target), 4);
            default:
                return value <= kpi.Target ? 1 : value == 0 ? null : Math.Round(kpi.Target / value, 4);
        }
    }

    static bool Meets(Kpi kpi, decimal value) =>
        kpi.Direction is KpiDirection.AtLeast or KpiDirection.IncreaseTo ? value >= kpi.Target : value <= kpi.Target;
}
