using Panorama.Core.Reports.Query;

namespace Panorama.Tests.Unit;

public class FunnelCalculatorTests
{
    [Theory]
    [InlineData(new long[] { 1, 2, 4 }, 3)]
    [InlineData(new long[] { 2, 4, 1 }, 1)]        // later steps before the first do not count
    [InlineData(new long[] { 3, 4 }, 3)]           // one event matching steps 1 and 2 completes both
    [InlineData(new long[] { 1, 1, 4, 2 }, 2)]     // step 3 came before step 2
    [InlineData(new long[] { 6, 1, 6 }, 3)]
    [InlineData(new long[] { }, 0)]
    public void StepsReached_TakesEventsInOrder(long[] masks, int reached) =>
        Assert.Equal(reached, FunnelCalculator.StepsReached(masks, 3));

    [Fact]
    public void Summarize_ConversionAndDropoff()
    {
        var steps = new[] { new FunnelStep("a"), new FunnelStep("b"), new FunnelStep("c") };
        var results = FunnelCalculator.Summarize(steps, [4, 1, 0]);
        Assert.Equal([100, 25, 0], results.Select(r => r.ConversionRate));
        Assert.Equal([0, 3, 1], results.Select(r => r.Dropoff));
        Assert.Equal([0, 75, 100], results.Select(r => r.DropoffPercentage));
    }
}
