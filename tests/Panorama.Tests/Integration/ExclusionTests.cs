using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Panorama.Core.Accounts;
using Panorama.Core.Sites;
using Panorama.Tests.Support;
using static Panorama.Tests.Support.EventBodies;

namespace Panorama.Tests.Integration;

/// <summary>A site's exclusions drop the events they match, answered 2xx and counted as dropped; admins set them in the settings.</summary>
public sealed class ExclusionTests : IAsyncLifetime
{
    const string Domain = "shielded.example";
    const string Other = "open.example";
    static readonly DateTimeOffset At = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);
    TestServer server = null!;
    string key = "";
    int siteId;

    public async Task InitializeAsync()
    {
        server = await TestServer.StartAsync();
        siteId = server.AddSite(Domain).Id;
        key = server.CreateKey(siteId, server.AddSite(Other).Id);
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    async Task<HttpResponseMessage> Send(string domain, string url, string ip) =>
        await server.PostEventAsync(Event("pageview", domain, url, At, ip, UserAgents.ChromeWindows), key);

    async Task<int> Pageviews(string domain) =>
        (int)(await server.GetJsonAsync($"/api/v1/stats/summary?site_id={domain}&period=day&date=2026-11-20", key))["results"]!["pageviews"]!;

    [Fact]
    public async Task Ingestion_ExcludedAddressPageHostnameOrCountry_Answered202_NotCounted_CountedAsDropped()
    {
        server.Services.GetRequiredService<SiteDirectory>().SaveExclusions(siteId, "203.0.113.0/24\n2001:db8::/32", "/admin/**", $"{Domain}\n*.{Domain}", "US");
        (string Url, string Ip, bool Counted)[] events =
        [
            ($"https://{Domain}/", "198.51.100.1", true),
            ($"https://www.{Domain}/pricing", "198.51.100.2", true),
            ($"https://{Domain}/", "203.0.113.9", false),
            ($"https://{Domain}/", "2001:db8::1", false),
            ($"https://{Domain}/admin/users", "198.51.100.3", false),
            ("https://copy.example/", "198.51.100.4", false),
            ($"https://{Domain}/", "8.8.8.8", false),
        ];
        foreach (var (url, ip, counted) in events)
        {
            using var response = await Send(Domain, url, ip);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            Assert.Equal(counted ? null : "excluded", response.Headers.TryGetValues("X-Panorama-Dropped", out var values) ? values.Single() : null);
        }
        Assert.Equal(2, await Pageviews(Domain));
        Assert.Contains("panorama_events_dropped_total 5", await server.Http.GetStringAsync("/metrics"));

        // An event sent to two sites is dropped only on the one that excludes it.
        using (var both = await Send($"{Domain},{Other}", $"https://{Domain}/", "203.0.113.10")) Assert.Equal(HttpStatusCode.Accepted, both.StatusCode);
        Assert.Equal((2, 1), (await Pageviews(Domain), await Pageviews(Other)));

        // Cleared, the same address counts again.
        server.Services.GetRequiredService<SiteDirectory>().SaveExclusions(siteId, null, null, null, null);
        using (var again = await Send(Domain, $"https://{Domain}/", "203.0.113.9")) Assert.False(again.Headers.Contains("X-Panorama-Dropped"));
        Assert.Equal(3, await Pageviews(Domain));
    }

    [Fact]
    public async Task SettingsForm_AdminSavesExclusions_EditorCannot_BadLineNamedAndNothingSaved()
    {
        await server.CreateUserAsync("admin@shield.test", false, (siteId, SiteRole.Admin));
        await server.CreateUserAsync("editor@shield.test", false, (siteId, SiteRole.Editor));
        var settings = $"/sites/{Domain}/settings";
        Site Stored() => server.Services.GetRequiredService<SiteDirectory>().All().Single(s => s.Id == siteId);

        using (var editor = await WebSession.SignInAsync(server, "editor@shield.test"))
        {
            Assert.DoesNotContain("excludedIps", await (await editor.GetAsync(settings)).Content.ReadAsStringAsync());
            var refused = await editor.PostFormAsync(settings, settings + "?handler=SaveExclusions", new() { ["excludedIps"] = "203.0.113.7" });
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
            Assert.Null(Stored().ExcludedIps);
        }

        using var admin = await WebSession.SignInAsync(server, "admin@shield.test");
        var bad = await admin.PostFormAsync(settings, settings + "?handler=SaveExclusions",
            new() { ["excludedIps"] = "203.0.113.7\n203.0.113.999", ["excludedPages"] = "/admin/**", ["allowedHostnames"] = "" });
        Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
        Assert.Contains("Excluded IP addresses, line 2: &#x27;203.0.113.999&#x27; is not an IP address", await bad.Content.ReadAsStringAsync());
        Assert.Null(Stored().ExcludedPages);
        // The same refusal in the Russian interface.
        await admin.PostFormAsync(settings, "/language", new() { ["language"] = "ru", ["returnUrl"] = settings });
        var russian = await admin.PostFormAsync(settings, settings + "?handler=SaveExclusions",
            new() { ["excludedIps"] = "203.0.113.7\n203.0.113.999", ["excludedPages"] = "/admin/**", ["allowedHostnames"] = "" });
        Assert.Contains("Исключённые IP-адреса, строка 2: «203.0.113.999» — не IP-адрес или сеть", System.Net.WebUtility.HtmlDecode(await russian.Content.ReadAsStringAsync()));
        await admin.PostFormAsync(settings, "/language", new() { ["language"] = "en", ["returnUrl"] = settings });

        var saved = await admin.PostFormAsync(settings, settings + "?handler=SaveExclusions",
            new() { ["excludedIps"] = " 203.0.113.7 \r\n\r\n198.51.100.0/24", ["excludedPages"] = "/admin/**", ["allowedHostnames"] = "", ["excludedCountries"] = "cn\r\n" });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(("203.0.113.7\n198.51.100.0/24", "/admin/**", (string?)null, "CN"),
            (Stored().ExcludedIps, Stored().ExcludedPages, Stored().AllowedHostnames, Stored().ExcludedCountries));
        Assert.Contains("198.51.100.0/24", await (await admin.GetAsync(settings)).Content.ReadAsStringAsync());
        using (var dropped = await Send(Domain, $"https://{Domain}/", "198.51.100.77")) Assert.True(dropped.Headers.Contains("X-Panorama-Dropped"));
    }
}
