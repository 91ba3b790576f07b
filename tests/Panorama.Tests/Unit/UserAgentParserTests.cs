using Panorama.Tests.Support;

namespace Panorama.Tests.Unit;

public class UserAgentParserTests
{
    [Theory]
    [InlineData(UserAgents.ChromeWindows, "Chrome", "141.0", "Windows", "Desktop")]
    [InlineData(UserAgents.FirefoxLinux, "Firefox", "144.0", "Ubuntu", "Desktop")]
    [InlineData(UserAgents.SafariIphone, "Mobile Safari", "18.6", "iOS", "Mobile")]
    [InlineData(UserAgents.SafariIpad, "Mobile Safari", "18.5", "iOS", "Tablet")]
    [InlineData(UserAgents.ChromeAndroid, "Chrome Mobile", "141.0", "Android", "Mobile")]
    [InlineData(UserAgents.YandexBrowser, "Yandex Browser", "25.8", "Windows", "Desktop")]
    public void Parse_CommonBrowsers_BrowserVersionOsDevice(string userAgent, string browser, string version, string os, string device)
    {
        var info = Enrichment.Data.UserAgents.Parse(userAgent);
        Assert.Equal(browser, info.Browser);
        Assert.Equal(version, info.BrowserVersion);
        Assert.Equal(os, info.OperatingSystem);
        Assert.Equal(device, info.Device);
    }

    [Fact]
    public void Parse_Gibberish_Unknown()
    {
        var info = Enrichment.Data.UserAgents.Parse("xyz");
        Assert.Equal("(unknown)", info.Browser);
        Assert.Equal("(unknown)", info.OperatingSystem);
    }

    [Fact]
    public void Load_MissingFile_AnswersUnknownInsteadOfFailing()
    {
        var parser = Panorama.Core.Enrichment.UserAgentParser.Load("/nonexistent/regexes.yaml");
        Assert.False(parser.IsLoaded);
        Assert.Equal("(unknown)", parser.Parse(UserAgents.ChromeWindows).Browser);
    }
}
