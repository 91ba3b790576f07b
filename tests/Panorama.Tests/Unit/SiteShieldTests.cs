using Panorama.Core.Sites;

namespace Panorama.Tests.Unit;

public sealed class SiteShieldTests
{
    static SiteShield Shield(string? ips = null, string? pages = null, string? hostnames = null, string? countries = null) =>
        SiteShield.For(new Site { Domain = "shop.example", ExcludedIps = ips, ExcludedPages = pages, AllowedHostnames = hostnames, ExcludedCountries = countries });

    [Theory]
    [InlineData("203.0.113.7", true)]
    [InlineData("203.0.113.8", false)]
    [InlineData("198.51.100.200", true)]
    [InlineData("198.51.101.1", false)]
    [InlineData("::ffff:198.51.100.1", true)]
    [InlineData("2001:db8:1::5", true)]
    [InlineData("2001:db9::5", false)]
    [InlineData("not an address", false)]
    public void Excludes_AddressesAndNetworks(string ip, bool excluded) =>
        Assert.Equal(excluded, Shield(ips: " 203.0.113.7 \n\n198.51.100.0/24\r\n2001:db8::/32").Excludes(ip, "shop.example", "/", ""));

    [Fact]
    public void Excludes_NetworkWrittenWithHostBits_TheWholeNetwork()
    {
        var shield = Shield(ips: "192.168.1.7/24");
        Assert.True(shield.Excludes("192.168.1.200", "shop.example", "/", ""));
        Assert.False(shield.Excludes("192.168.2.1", "shop.example", "/", ""));
    }

    [Theory]
    [InlineData("/admin", true)]
    [InlineData("/admin/users/7", true)]
    [InlineData("/administrator", false)]
    [InlineData("/preview/draft", true)]
    [InlineData("/preview/draft/2", false)]
    [InlineData("/pricing", false)]
    public void Excludes_PagePatterns(string path, bool excluded) =>
        Assert.Equal(excluded, Shield(pages: "/admin\n/admin/**\n/preview/*").Excludes("192.0.2.1", "shop.example", path, ""));

    [Theory]
    [InlineData("shop.example", false)]
    [InlineData("SHOP.example", false)]
    [InlineData("eu.shop.example", false)]
    [InlineData("shop.example.evil", true)]
    [InlineData("copycat.example", true)]
    [InlineData("other.example", false)]
    public void Excludes_HostnamesOutsideTheAllowList(string hostname, bool excluded) =>
        Assert.Equal(excluded, Shield(hostnames: "*.shop.example\nother.example").Excludes("192.0.2.1", hostname, "/", ""));

    [Theory]
    [InlineData("CN", true)]
    [InlineData("VN", true)]
    [InlineData("RU", false)]
    [InlineData("", false)]
    public void Excludes_Countries(string country, bool excluded) =>
        Assert.Equal(excluded, Shield(countries: "cn\nVN").Excludes("192.0.2.1", "shop.example", "/", country));

    [Fact]
    public void Empty_ExcludesNothing()
    {
        var shield = Shield("  \n", "", null);
        Assert.True(shield.IsEmpty);
        Assert.False(shield.Excludes("203.0.113.7", "anything.example", "/admin", ""));
    }

    [Fact]
    public void Validate_NamesEachBadLineWithItsNumber()
    {
        var errors = SiteShield.Validate("203.0.113.7\n\n203.0.113.300\n10.0.0.0/33", "/ok\nadmin", "shop.example\nnot a host", "cn\nChina\nQQ");
        Assert.Equal(
        [
            "Excluded IP addresses, line 3: '203.0.113.300' is not an IP address or a network such as 203.0.113.0/24.",
            "Excluded IP addresses, line 4: '10.0.0.0/33' is not an IP address or a network such as 203.0.113.0/24.",
            "Excluded pages, line 2: 'admin' is not a path starting with / (wildcards * and ** allowed).",
            "Allowed hostnames, line 2: 'not a host' is not a hostname such as shop.example or *.shop.example.",
            "Excluded countries, line 2: 'China' is not a two-letter country code such as CN.",
            "Excluded countries, line 3: 'QQ' is not a two-letter country code such as CN.",
        ], errors);
        Assert.Empty(SiteShield.Validate("203.0.113.7\n2001:db8::/32", "/admin/**", "*.shop.example", "CN\nvn"));
    }

    [Fact]
    public void Normalize_OneTrimmedEntryALine_NullWhenEmpty()
    {
        Assert.Equal("203.0.113.7\n198.51.100.0/24", SiteShield.Normalize(" 203.0.113.7\r\n\n 198.51.100.0/24 \n"));
        Assert.Null(SiteShield.Normalize(" \n\r\n"));
    }
}
