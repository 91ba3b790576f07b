using Panorama.Core.Attribution;

namespace Panorama.Tests.Unit.Money;

/// <summary>Every attribution model, ROI, ROAS, CAC and the cost of a cut on hand-computed paths.</summary>
public sealed class AttributionTests
{
    static readonly DateTime Converted = new(2026, 11, 20, 12, 0, 0);

    // Four visits: 14 days, 7 days and 1 day before, and at the conversion — search, social, direct, direct.
    static readonly Touch[] Path =
    [
        new(Converted.AddDays(-14), "Paid Search", "autumn"),
        new(Converted.AddDays(-7), "Paid Social", "vk"),
        new(Converted.AddDays(-1), "Direct", "(none)"),
        new(Converted, "Direct", "(none)"),
    ];

    [Fact]
    public void FirstTouch_AllToTheFirst() => Assert.Equal([1m, 0, 0, 0], Attribution.Weights(AttributionModel.FirstTouch, Path, Converted));

    [Fact]
    public void LastNonDirect_SkipsDirectVisits() => Assert.Equal([0m, 1, 0, 0], Attribution.Weights(AttributionModel.LastNonDirect, Path, Converted));

    [Fact]
    public void LastNonDirect_AllDirect_TheLast() =>
        Assert.Equal([0m, 1], Attribution.Weights(AttributionModel.LastNonDirect, [Path[2], Path[3]], Converted));

    [Fact]
    public void Linear_EqualShares() => Assert.Equal([0.25m, 0.25m, 0.25m, 0.25m], Attribution.Weights(AttributionModel.Linear, Path, Converted));

    [Fact]
    public void PositionBased_FortyTwentyForty()
    {
        Assert.Equal([0.4m, 0.1m, 0.1m, 0.4m], Attribution.Weights(AttributionModel.PositionBased, Path, Converted));
        Assert.Equal([0.5m, 0.5m], Attribution.Weights(AttributionModel.PositionBased, [Path[0], Path[1]], Converted));
        Assert.Equal([1m], Attribution.Weights(AttributionModel.PositionBased, [Path[0]], Converted));
    }

    [Fact]
    public void TimeDecay_HalvesEverySevenDays()
    {
        // Raw weights 2^-2, 2^-1, 2^(-1/7), 1: 0.25 + 0.5 + 0.905724 + 1 = 2.655724.
        var weights = Attribution.Weights(AttributionModel.TimeDecay, Path, Converted).Select(w => Math.Round(w, 4)).ToList();
        Assert.Equal([0.0941m, 0.1883m, 0.3410m, 0.3765m], weights);
        Assert.Equal(1m, Math.Round(Attribution.Weights(AttributionModel.TimeDecay, Path, Converted).Sum(), 10));
    }

    [Fact]
    public void Returns_CreditJoinedWithSpend_CacRoasRoiAndCostOfCut()
    {
        var conversions = new[]
        {
            new ConversionPath(Converted, 3000, [Path[0], Path[1]]),
            new ConversionPath(Converted, 1000, [Path[0]]),
        };
        var spend = new Dictionary<(string, string), decimal> { [("Paid Search", "autumn")] = 2000, [("Display", "banners")] = 500 };
        var returns = ReturnCalculator.Compute(AttributionModel.Linear, conversions, spend);
        var search = returns.Single(r => r.Channel == "Paid Search");
        // Linear: search gets half of the first conversion and all of the second: 1.5 conversions, 1500 + 1000 revenue.
        Assert.Equal((1.5m, 2500m, 2000m), (search.Conversions, search.Revenue, search.Spend));
        Assert.Equal(1333.33m, search.Cac);
        Assert.Equal(1.25m, search.Roas);
        Assert.Equal(0.25m, search.Roi);
        Assert.Equal((0.38m, 625m), search.CostOfCut(500));
        var display = returns.Single(r => r.Channel == "Display");
        Assert.Equal((0m, 0m, -1m), (display.Conversions, display.Revenue, display.Roi));
        Assert.Null(display.Cac);
        Assert.Null(returns.Single(r => r.Channel == "Paid Social").Roas);
    }
}
