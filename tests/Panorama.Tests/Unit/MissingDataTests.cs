using Panorama.Core.Enrichment;
using Panorama.Core.Ingestion;
using Panorama.Core.Sites;
using Panorama.Tests.Support;

namespace Panorama.Tests.Unit;

/// <summary>A missing enrichment file degrades to "unknown", never to a failure.</summary>
public sealed class MissingDataTests
{
    [Fact]
    public void Load_EmptyFolder_EnrichesWithUnknownsAndBuiltIns()
    {
        using var empty = new TempDirectory();
        using var data = EnrichmentData.Load(empty.Path);
        Assert.False(data.UserAgents.IsLoaded);
        Assert.False(data.Geo.IsLoaded);
        Assert.Equal(0, data.Bots.PatternCount);

        var incoming = new IncomingEvent { Domains = ["shop.example"], Name = "pageview", Url = new Uri("https://shop.example/"), Referrer = new Uri("https://t.me/x") };
        var (outcome, e) = new EventEnricher(data).Enrich(incoming, new Site { Id = 1, Domain = "shop.example" },
            new RequestContext("77.88.55.88", UserAgents.ChromeWindows, DateTimeOffset.UtcNow), _ => new byte[16]);
        Assert.Equal(EventEnricher.Outcome.Accepted, outcome);
        Assert.Equal(("(unknown)", ""), (e!.Browser, e.Country));
        // Panorama's own additions still classify the Russian-speaking web.
        Assert.Equal(("Telegram", Channel.OrganicSocial), (e.Source, e.Channel));
        // Headless and tool markers still catch automation.
        Assert.True(data.Bots.IsBot(UserAgents.HeadlessChrome));
    }
}
