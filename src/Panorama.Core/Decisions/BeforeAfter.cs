namespace Panorama.Core.Decisions;

/// <summary>
/// The change between two windows of daily values and its uncertainty: the difference of means with a 95% interval
/// from Welch's t (each window's own variance; Welch–Satterthwaite degrees of freedom). Pure and exact for the tests.
/// </summary>
public static class BeforeAfter
{
    public static MetricOutcome Compare(string metric, string? filtersJson, IReadOnlyList<double> before, IReadOnlyList<double> after)
    {
        if (before.Count < 2 || after.Count < 2) throw new ArgumentException("Each window needs at least two days.");
        var (meanBefore, varianceBefore) = MeanAndVariance(before);
        var (meanAfter, varianceAfter) = MeanAndVariance(after);
        var change = meanAfter - meanBefore;
        var a = varianceBefore / before.Count;
        var b = varianceAfter / after.Count;
        var standardError = Math.Sqrt(a + b);
        var degrees = standardError == 0 ? double.PositiveInfinity
            : Math.Pow(a + b, 2) / (a * a / (before.Count - 1) + b * b / (after.Count - 1));
        var margin = TQuantile975(degrees) * standardError;
        var low = change - margin;
        var high = change + margin;
        return new MetricOutcome(metric, filtersJson, after.Count, Round(meanBefore), Round(meanAfter), Round(change),
            meanBefore == 0 ? null : Round(100 * change / meanBefore), Round(low), Round(high), WithinNoise: low <= 0 && high >= 0);
    }

    /// <summary>
    /// Difference-in-differences from daily values of the affected segment and an unaffected control over the same days:
    /// the before/after comparison of the daily gaps (segment − control), so the estimate is the segment's change less the
    /// control's, and its interval is Welch's over the gaps (a day that lifts both cancels out).
    /// </summary>
    public static DiffInDiff Controlled(string controlFiltersJson, IReadOnlyList<double> before, IReadOnlyList<double> after,
        IReadOnlyList<double> controlBefore, IReadOnlyList<double> controlAfter)
    {
        if (controlBefore.Count != before.Count || controlAfter.Count != after.Count) throw new ArgumentException("The control needs the same days.");
        var gaps = Compare("gap", null, before.Zip(controlBefore, (s, c) => s - c).ToList(), after.Zip(controlAfter, (s, c) => s - c).ToList());
        var control = Round(controlAfter.Average() - controlBefore.Average());
        return new DiffInDiff(controlFiltersJson, control, gaps.Change, gaps.IntervalLow, gaps.IntervalHigh, gaps.WithinNoise);
    }

    static (double Mean, double Variance) MeanAndVariance(IReadOnlyList<double> values)
    {
        var mean = values.Average();
        var variance = values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1);
        return (mean, variance);
    }

    // Exact 97.5th percentiles of Student's t for 1–10 degrees of freedom, where the expansion below is weakest.
    static readonly double[] SmallDegrees = [12.706204736, 4.302652730, 3.182446305, 2.776445105, 2.570581836, 2.446911851, 2.364624252, 2.306004135, 2.262157163, 2.228138852];

    /// <summary>The 97.5th percentile of Student's t with (possibly fractional) degrees of freedom.</summary>
    public static double TQuantile975(double degrees)
    {
        const double z = 1.959963984540054;
        if (double.IsInfinity(degrees) || degrees > 1e6) return z;
        if (degrees <= 1) return SmallDegrees[0];
        if (degrees <= 10)
        {
            // Between table entries, interpolate in 1/df, in which the quantile is nearly linear.
            var low = (int)Math.Floor(degrees);
            if (low == degrees) return SmallDegrees[low - 1];
            var share = (1 / (double)low - 1 / degrees) / (1 / (double)low - 1 / (double)(low + 1));
            return SmallDegrees[low - 1] + share * (SmallDegrees[low] - SmallDegrees[low - 1]);
        }
        // Cornish–Fisher expansion around the normal quantile: within 1e-5 from 10 degrees of freedom up.
        double z3 = z * z * z, z5 = z3 * z * z, z7 = z5 * z * z, z9 = z7 * z * z;
        var g1 = (z3 + z) / 4;
        var g2 = (5 * z5 + 16 * z3 + 3 * z) / 96;
        var g3 = (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / 384;
        var g4 = (79 * z9 + 776 * z7 + 1482 * z5 - 1920 * z3 - 945 * z) / 92160;
        return z + g1 / degrees + g2 / (degrees * degrees) + g3 / Math.Pow(degrees, 3) + g4 / Math.Pow(degrees, 4);
    }

    static decimal Round(double value) => Math.Round((decimal)value, 4);
}
