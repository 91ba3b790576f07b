namespace Panorama.Core.Department;

/// <summary>Money a unit may spend on a channel (and optionally one campaign) over a period (P6: subdivisions have their own funding).</summary>
public sealed class Budget
{
    public required string Unit { get; init; }
    public required string Channel { get; init; }
    public string? Campaign { get; init; }
    public DateOnly PeriodFrom { get; init; }
    public DateOnly PeriodTo { get; init; }
    public decimal Amount { get; init; }
    public string Currency { get; init; } = "RUB";
}

public enum PacingBand { Under, Risk, OnTrack, Over }

/// <summary>Budget against actual spend so far: the spend expected by today at an even pace, and the band the actual falls in.</summary>
public sealed record BudgetPacing(Budget Budget, decimal Actual, decimal ExpectedToDate, decimal? Ratio, PacingBand? Band)
{
    /// <summary>Bands of actual ÷ expected-to-date: under 70%, risk 70–90%, on track 90–110%, over 110%.</summary>
    public static BudgetPacing Of(Budget budget, decimal actual, DateOnly today)
    {
        var days = budget.PeriodTo.DayNumber - budget.PeriodFrom.DayNumber + 1;
        var elapsed = Math.Clamp(today.DayNumber - budget.PeriodFrom.DayNumber + 1, 0, days);
        var expected = Math.Round(budget.Amount * elapsed / days, 2);
        if (expected <= 0) return new BudgetPacing(budget, actual, 0, null, null);
        var ratio = Math.Round(actual / expected, 4);
        var band = ratio < 0.7m ? PacingBand.Under : ratio < 0.9m ? PacingBand.Risk : ratio <= 1.1m ? PacingBand.OnTrack : PacingBand.Over;
        return new BudgetPacing(budget, actual, expected, ratio, band);
    }
}
