using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Panorama.Core.Goals;
using Panorama.Tests.Support;

namespace Panorama.Tests.Browser;

/// <summary>The spend and return page in Chromium: import a spend file, switch the attribution model, estimate a cut.</summary>
[Collection(ChromiumCollection.Name)]
public sealed class RoiPageTests(ChromiumFixture chromium) : IAsyncLifetime
{
    TestServer panorama = null!;
    readonly TempDirectory files = new();

    public async Task InitializeAsync()
    {
        panorama = await TestServer.StartAsync();
        var site = panorama.AddSite("shop.test");
        panorama.Services.GetRequiredService<GoalService>().Add(site.Id, null, "Purchase", "RUB");
        var key = panorama.CreateKey(site.Id);
        var at = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(-1).AddHours(10), TimeSpan.Zero);
        // One visitor clicks an email, later a search ad, and buys for 4,000.
        foreach (var body in new[]
        {
            EventBodies.Pageview("shop.test", "/?utm_source=newsletter&utm_medium=email&utm_campaign=november", at, "203.0.113.7"),
            EventBodies.Pageview("shop.test", "/?utm_source=google&utm_medium=cpc&utm_campaign=autumn", at.AddHours(2), "203.0.113.7"),
            EventBodies.Event("Purchase", "shop.test", "https://shop.test/checkout", at.AddHours(2).AddMinutes(5), "203.0.113.7", UserAgents.ChromeWindows,
                revenue: new JsonObject { ["amount"] = "4000", ["currency"] = "RUB" }),
        })
            Assert.True((await panorama.PostEventAsync(body, key)).IsSuccessStatusCode);
        await panorama.CreateUserAsync("head@x.test", owner: true);
    }

    public async Task DisposeAsync()
    {
        await panorama.DisposeAsync();
        files.Dispose();
    }

    [Fact]
    public async Task Roi_ImportSpendSwitchModelEstimateCut()
    {
        var day = DateTime.UtcNow.Date.AddDays(-1).ToString("yyyy-MM-dd");
        var csv = Path.Combine(files.Path, "spend.csv");
        await File.WriteAllTextAsync(csv, $"date;channel;campaign;cost;currency\n{day};Paid Search;autumn;2000;RUB\n{day};Email;november;500;RUB\n");
        await using var context = await chromium.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.SignInAsync(panorama, "head@x.test");

        await page.GotoAsync(panorama.BaseUrl + "/sites/shop.test/roi?days=7");
        await page.SetInputFilesAsync("#file", csv);
        await page.ClickAsync("#import button.primary");
        await Assertions.Expect(page.Locator("#import-result")).ToContainTextAsync("2 new rows");

        var search = page.Locator("#roi-channels tr[data-channel='Paid Search'] td");
        // Last non-direct touch: the search ad gets the whole sale.
        await Assertions.Expect(search.Nth(2)).ToHaveTextAsync("1");
        await Assertions.Expect(search.Nth(3)).ToHaveTextAsync("4,000");
        await page.SelectOptionAsync("#model", "Linear");
        await page.ClickAsync("#roi-options button");
        // Linear: half to the email, half to the search ad.
        await Assertions.Expect(search.Nth(2)).ToHaveTextAsync("0.5");
        await Assertions.Expect(page.Locator("#roi-channels tr[data-channel='Email'] td").Nth(3)).ToHaveTextAsync("2,000");

        await page.SelectOptionAsync("#cut-channel", "Paid Search");
        await page.FillAsync("#cut-amount", "1000");
        await page.ClickAsync("#cut button");
        await Assertions.Expect(page.Locator("#cut-estimate")).ToContainTextAsync("would lose about 0.25 conversions and 1,000 RUB of revenue");

        await page.ClickAsync("#propose-cut");
        await page.ArriveAtAsync(new Regex("/decisions/\\d+$"));
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Cut Paid Search spend by 1,000 RUB");
        await Assertions.Expect(page.Locator("dl.analysis")).ToContainTextAsync("about 0.25 conversions and 1,000 RUB of revenue");
    }
}
