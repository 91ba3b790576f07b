using Panorama.Core.Ingestion;
using Panorama.Core.Sites;
using Panorama.Tests.Support;

namespace Panorama.Tests.Unit;

public class EventEnricherTests
{
    static readonly Site Shop = new() { Id = 7, Domain = "shop.example" };
    static readonly DateTimeOffset Noon = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);
    static readonly EventEnricher Enricher = new(Enrichment.Data);

    static byte[] Salt(DateOnly day) => Enumerable.Repeat((byte)day.DayNumber, 16).ToArray();

    static (EventEnricher.Outcome, EnrichedEvent?) Enrich(IncomingEvent incoming, string ip = "77.88.55.88", string ua = UserAgents.ChromeWindows) =>
        Enricher.Enrich(incoming, Shop, new RequestContext(ip, ua, Noon), Salt);

    static IncomingEvent Pageview(string url, string? referrer = null, bool hashMode = false) => new()
    {
        Domains = ["shop.example"],
        Name = "pageview",
        Url = new Uri(url),
        Referrer = referrer is null ? null : new Uri(referrer),
        HashMode = hashMode,
        ScreenWidth = 1280,
    };

    [Fact]
    public void Enrich_Pageview_DerivesEverythingAndStoresNothingRaw()
    {
        var (outcome, e) = Enrich(Pageview("https://www.shop.example/catalog/%D0%BE%D0%B1%D1%83%D0%B2%D1%8C?utm_source=yandex&utm_medium=cpc&secret=1", "https://yandex.ru/"));
        Assert.Equal(EventEnricher.Outcome.Accepted, outcome);
        Assert.Equal("/catalog/обувь", e!.Pathname);
        Assert.Equal("shop.example", e.Hostname);
        Assert.Equal(("Yandex", "Paid Search"), (e.Source, e.Channel));
        Assert.Equal(("Chrome", "Windows", "Desktop", "Laptop"), (e.Browser, e.OperatingSystem, e.Device, e.Screen));
        Assert.Equal("RU", e.Country);
        Assert.Equal(Noon.UtcDateTime, e.Timestamp);
        Assert.False(e.Interactive);
        // Nothing in the stored event contains the IP or the User-Agent.
        var stored = string.Join("|", typeof(EnrichedEvent).GetProperties().Select(p => p.GetValue(e)?.ToString()));
        Assert.DoesNotContain("77.88.55.88", stored);
        Assert.DoesNotContain("Mozilla", stored);
        Assert.DoesNotContain("secret", stored);
    }

    [Fact]
    public void Enrich_VisitorId_DependsOnDaySaltIpAndAgent()
    {
        var a = Enrich(Pageview("https://shop.example/")).Item2!;
        var b = Enrich(Pageview("https://shop.example/other")).Item2!;
        var otherIp = Enrich(Pageview("https://shop.example/"), ip: "8.8.8.8").Item2!;
        var otherAgent = Enrich(Pageview("https://shop.example/"), ua: UserAgents.FirefoxLinux).Item2!;
        Assert.Equal(a.VisitorId, b.VisitorId);
        Assert.NotEqual(a.VisitorId, otherIp.VisitorId);
        Assert.NotEqual(a.VisitorId, otherAgent.VisitorId);
        Assert.Equal(a.VisitorId, a.PreviousDayVisitorId);
    }

    [Fact]
    public void Enrich_JustAfterMidnight_AlsoHashesWithYesterdaysSalt()
    {
        var justAfterMidnight = new RequestContext("77.88.55.88", UserAgents.ChromeWindows, new DateTimeOffset(2026, 11, 21, 0, 10, 0, TimeSpan.Zero));
        var e = Enricher.Enrich(Pageview("https://shop.example/"), Shop, justAfterMidnight, Salt).Item2!;
        var noon = Enrich(Pageview("https://shop.example/")).Item2!;
        Assert.NotEqual(e.VisitorId, e.PreviousDayVisitorId);
        Assert.Equal(noon.VisitorId, e.PreviousDayVisitorId);
    }

    [Fact]
    public void Enrich_HashMode_KeepsFragmentInPath()
    {
        Assert.Equal("/app#/settings", Enrich(Pageview("https://shop.example/app#/settings", hashMode: true)).Item2!.Pathname);
        Assert.Equal("/app", Enrich(Pageview("https://shop.example/app#/settings")).Item2!.Pathname);
    }

    [Fact]
    public void Enrich_Bot_Dropped() => Assert.Equal(EventEnricher.Outcome.Bot, Enrich(Pageview("https://shop.example/"), ua: UserAgents.Googlebot).Item1);

    [Fact]
    public void Enrich_SpamReferrer_Dropped() =>
        Assert.Equal(EventEnricher.Outcome.Spam, Enrich(Pageview("https://shop.example/", "http://semalt.com/")).Item1);

    [Fact]
    public void Enrich_CustomEvent_InteractiveUnlessSaidOtherwise()
    {
        var custom = new IncomingEvent { Domains = ["shop.example"], Name = "Signup", Url = new Uri("https://shop.example/") };
        var quiet = new IncomingEvent { Domains = ["shop.example"], Name = "Seen", Url = new Uri("https://shop.example/"), Interactive = false };
        var engagement = new IncomingEvent { Domains = ["shop.example"], Name = "engagement", Url = new Uri("https://shop.example/"), ScrollDepth = 80, EngagementMilliseconds = 5000 };
        Assert.True(Enrich(custom).Item2!.Interactive);
        Assert.False(Enrich(quiet).Item2!.Interactive);
        var stored = Enrich(engagement).Item2!;
        Assert.False(stored.Interactive);
        Assert.Equal((80, 5000), (stored.ScrollDepth, stored.EngagementMilliseconds));
    }
}
