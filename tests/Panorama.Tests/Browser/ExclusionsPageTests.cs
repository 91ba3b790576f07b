using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Panorama.Core.Sites;
using Panorama.Tests.Support;

namespace Panorama.Tests.Browser;

/// <summary>The exclusions in a site's settings, in Chromium: a bad line is named, a good list is saved and shown again.</summary>
[Collection(ChromiumCollection.Name)]
public sealed class ExclusionsPageTests(ChromiumFixture chromium) : IAsyncLifetime
{
    TestServer panorama = null!;

    public async Task InitializeAsync()
    {
        panorama = await TestServer.StartAsync();
        panorama.AddSite("shop.test");
        await panorama.CreateUserAsync("head@x.test", owner: true);
    }

    public async Task DisposeAsync() => await panorama.DisposeAsync();

    [Fact]
    public async Task Settings_SaveExclusions_BadLineNamed_ThenSavedAndShown()
    {
        await using var context = await chromium.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.SignInAsync(panorama, "head@x.test");
        await page.GotoAsync(panorama.BaseUrl + "/sites/shop.test/settings");

        await page.FillAsync("#excluded-ips", "203.0.113.7\noffice");
        await page.FillAsync("#excluded-pages", "/admin/**");
        await page.ClickAsync("#exclusions button[type=submit]");
        await Assertions.Expect(page.Locator(".errors")).ToContainTextAsync("Excluded IP addresses, line 2: 'office' is not an IP address");
        // What was typed stays in the form, and nothing was saved.
        await Assertions.Expect(page.Locator("#excluded-ips")).ToHaveValueAsync("203.0.113.7\noffice");
        Assert.Null(panorama.Services.GetRequiredService<SiteDirectory>().FindByDomain("shop.test")!.ExcludedPages);

        await page.FillAsync("#excluded-ips", "203.0.113.7\n198.51.100.0/24");
        await page.ClickAsync("#exclusions button[type=submit]");
        await page.ArriveAtAsync(new Regex("/sites/shop.test/settings$"));
        await Assertions.Expect(page.Locator("#excluded-ips")).ToHaveValueAsync("203.0.113.7\n198.51.100.0/24");
        await Assertions.Expect(page.Locator("#excluded-pages")).ToHaveValueAsync("/admin/**");
        await Assertions.Expect(page.Locator(".errors")).Not.ToContainTextAsync("line");
    }
}
