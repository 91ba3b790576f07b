using Panorama.Core.Goals;

namespace Panorama.Core.Reports.Query;

/// <summary>One funnel step: a pageview of a path pattern, a custom event, or a configured goal.</summary>
public sealed record FunnelStep(string Label, string? PagePath = null, string? EventName = null, Goal? Goal = null);

/// <summary>A step's result: visitors who reached it (in order, within one visit), and what was lost on the way.</summary>
public sealed record FunnelStepResult(string Label, long Visitors, double ConversionRate, double ConversionRateFromPrevious, long Dropoff, double DropoffPercentage);

public static class FunnelCalculator
{
    public const int MinSteps = 2;
    public const int MaxSteps = 8;

    /// <summary>How far one visit got: events are taken in time order, each can complete the next step only.</summary>
    public static int StepsReached(IEnumerable<long> masks, int stepCount)
    {
        var reached = 0;
        foreach (var mask in masks)
        {
            while (reached < stepCount && (mask & (1L << reached)) != 0) reached++;
            if (reached == stepCount) break;
        }
        return reached;
    }

    /// <summary>Conversion and drop-off per step from the visitors who reached each step.</summary>
    public static IReadOnlyList<FunnelStepResult> Summarize(IReadOnlyList<FunnelStep> steps, IReadOnlyList<long> reach)
    {
        var results = new List<FunnelStepResult>();
        long first = 0, previous = 0;
        for (var i = 0; i < steps.Count; i++)
        {
            var visitors = reach[i];
            if (i == 0) first = previous = visitors;
            var fromStart = first == 0 ? 0 : Math.Round(100.0 * visitors / first, 2);
            var fromPrevious = previous == 0 ? 0 : Math.Round(100.0 * visitors / previous, 2);
            var dropoff = i == 0 ? 0 : previous - visitors;
            results.Add(new FunnelStepResult(steps[i].Label, visitors, fromStart, fromPrevious, dropoff, i == 0 || previous == 0 ? 0 : Math.Round(100.0 * dropoff / previous, 2)));
            previous = visitors;
        }
        return results;
    }
}
