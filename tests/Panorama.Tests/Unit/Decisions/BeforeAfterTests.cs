using Panorama.Core.Decisions;

namespace Panorama.Tests.Unit.Decisions;

/// <summary>Before/after statistics on hand-computed windows.</summary>
public sealed class BeforeAfterTests
{
    [Fact]
    public void Compare_ClearRise_IntervalExcludesZero()
    {
        // Means 12 and 17, variances 4 and 4, n = 3 each: SE = √(4/3 + 4/3) = 1.632993, Welch df = 4, t = 2.776445,
        // margin = 4.533911, so the change 5 lies in [0.466089, 9.533911].
        var outcome = BeforeAfter.Compare("visitors", null, [10, 12, 14], [15, 17, 19]);
        Assert.Equal((12m, 17m, 5m), (outcome.BeforeMean, outcome.AfterMean, outcome.Change));
        Assert.Equal(41.6667m, outcome.ChangePercent);
        Assert.Equal(0.4661m, outcome.IntervalLow);
        Assert.Equal(9.5339m, outcome.IntervalHigh);
        Assert.False(outcome.WithinNoise);
    }

    [Fact]
    public void Compare_NoisyDays_WithinNoise()
    {
        var outcome = BeforeAfter.Compare("visitors", null, [5, 20, 8, 17], [9, 22, 6, 19]);
        Assert.Equal(1.5m, outcome.Change);
        Assert.True(outcome.WithinNoise);
    }

    [Fact]
    public void Controlled_DayToDaySwingsSharedWithTheControl_CancelOut()
    {
        // Gaps segment − control: before [5, 5, 5], after [7, 7, 7]. The segment rose by 6, the control by 4: the decision's share is 2,
        // and with no spread left in the gaps the interval closes on it.
        var outcome = BeforeAfter.Controlled("[]", [10, 14, 12], [20, 16, 18], [5, 9, 7], [13, 9, 11]);
        Assert.Equal((4m, 2m, 2m, 2m, false), (outcome.ControlChange, outcome.Estimate, outcome.IntervalLow, outcome.IntervalHigh, outcome.WithinNoise));
    }

    [Fact]
    public void Controlled_NoisyGaps_WelchOverTheGaps()
    {
        // Gaps before [5, 6, 7] (mean 6, variance 1), after [7, 8, 9] (mean 8, variance 1): SE = √(2/3) = 0.816497, df = 4,
        // margin = 2.776445 × 0.816497 = 2.266955, so 2 lies in [−0.266955, 4.266955]: within noise.
        var outcome = BeforeAfter.Controlled("[]", [10, 12, 14], [15, 17, 19], [5, 6, 7], [8, 9, 10]);
        Assert.Equal((3m, 2m, -0.2670m, 4.2670m, true), (outcome.ControlChange, outcome.Estimate, outcome.IntervalLow, outcome.IntervalHigh, outcome.WithinNoise));
    }

    [Theory]
    [InlineData(1, 12.7062)]
    [InlineData(4, 2.7764)]
    [InlineData(10, 2.2281)]
    [InlineData(30, 2.0423)]
    [InlineData(120, 1.9799)]
    public void TQuantile975_MatchesTables(double degrees, double expected) =>
        Assert.Equal(expected, Math.Round(BeforeAfter.TQuantile975(degrees), 4));
}
