using Panorama.Tests.Support;

namespace Panorama.Tests.Unit;

public class BotDetectorTests
{
    [Theory]
    [InlineData(UserAgents.Googlebot)]
    [InlineData(UserAgents.YandexBot)]
    [InlineData(UserAgents.HeadlessChrome)]
    [InlineData("Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)")]
    [InlineData("Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)")]
    [InlineData("curl/8.5.0")]
    [InlineData("python-requests/2.32.3")]
    [InlineData("")]
    public void IsBot_CrawlersAndTools_True(string userAgent) => Assert.True(Enrichment.Data.Bots.IsBot(userAgent));

    [Theory]
    [InlineData(UserAgents.ChromeWindows)]
    [InlineData(UserAgents.SafariIphone)]
    [InlineData(UserAgents.ChromeAndroid)]
    [InlineData(UserAgents.YandexBrowser)]
    [InlineData(UserAgents.FirefoxLinux)]
    public void IsBot_People_False(string userAgent) => Assert.False(Enrichment.Data.Bots.IsBot(userAgent));

    [Fact]
    public void Load_MaintainedList_HasItsPatterns() => Assert.True(Enrichment.Data.Bots.PatternCount > 0);
}
