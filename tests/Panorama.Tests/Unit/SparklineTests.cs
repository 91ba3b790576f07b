using Panorama.Web.Pages.Sites;

namespace Panorama.Tests.Unit;

public class SparklineTests
{
    [Fact]
    public void Points_HighestAtTheTop_ZeroAtTheBottom_SpreadAcrossTheWidth() =>
        Assert.Equal("0,26.5 60,1.5 120,14", Sparkline.Points([0, 10, 5]));

    [Fact]
    public void Points_AllZeros_OrOneValue_AFlatLine()
    {
        Assert.Equal("0,26.5 40,26.5 80,26.5 120,26.5", Sparkline.Points([0, 0, 0, 0]));
        Assert.Equal("0,1.5 120,1.5", Sparkline.Points([7]));
        Assert.Equal("", Sparkline.Points([]));
    }
}
