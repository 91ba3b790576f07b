using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Panorama.Core.Accounts;
using Panorama.Core.Sites;
using Panorama.Tests.Support;
using static Panorama.Tests.Support.EventBodies;

namespace Panorama.Tests.Integration;

/// <summary>An admin changes a site's time zone in its settings; every report's days follow, past ones included.</summary>
public sealed class SiteTimeZoneTests
{
    [Fact]
    public async Task SettingsForm_AdminChangesTheTimeZone_ReportsCountDaysInIt()
    {
        await using var server = await TestServer.StartAsync();
        var site = server.AddSite("zone.example");
        var key = server.CreateKey(site.Id);
        // 22:30 UTC on the 20th is 01:30 on the 21st in Moscow.
        using (var sent = await server.PostEventAsync(Pageview("zone.example", "/", new DateTimeOffset(2026, 11, 20, 22, 30, 0, TimeSpan.Zero), "198.51.100.5"), key))
            Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        async Task<int> VisitorsOn(string day) =>
            (int)(await server.GetJsonAsync($"/api/v1/stats/summary?site_id=zone.example&period=day&date={day}", key))["results"]!["visitors"]!;
        Assert.Equal((1, 0), (await VisitorsOn("2026-11-20"), await VisitorsOn("2026-11-21")));

        await server.CreateUserAsync("admin@zone.test", false, (site.Id, SiteRole.Admin));
        await server.CreateUserAsync("editor@zone.test", false, (site.Id, SiteRole.Editor));
        const string settings = "/sites/zone.example/settings";
        using (var editor = await WebSession.SignInAsync(server, "editor@zone.test"))
            Assert.Equal(HttpStatusCode.NotFound,
                (await editor.PostFormAsync(settings, settings + "?handler=SetTimeZone", new() { ["timeZone"] = "Europe/Moscow" })).StatusCode);

        using var admin = await WebSession.SignInAsync(server, "admin@zone.test");
        var bad = await admin.PostFormAsync(settings, settings + "?handler=SetTimeZone", new() { ["timeZone"] = "Mars/Olympus" });
        Assert.Contains("Mars/Olympus", await bad.Content.ReadAsStringAsync());
        Assert.Equal("UTC", server.Services.GetRequiredService<SiteDirectory>().FindById(site.Id)!.TimeZone);

        var saved = await admin.PostFormAsync(settings, settings + "?handler=SetTimeZone", new() { ["timeZone"] = "Europe/Moscow" });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal((0, 1), (await VisitorsOn("2026-11-20"), await VisitorsOn("2026-11-21")));
    }
}
