using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Panorama.Tests.Support;

namespace Panorama.Tests.Browser;

/// <summary>A decision's whole life in Chromium: proposed with a baseline, approved, implemented, evaluated from known traffic, and shown on the chart.</summary>
[Collection(ChromiumCollection.Name)]
public sealed class DecisionTests(ChromiumFixture chromium) : IAsyncLifetime
{
    TestServer panorama = null!;

    public async Task InitializeAsync()
    {
        panorama = await TestServer.StartAsync();
        var site = panorama.AddSite("shop.test");
        var key = panorama.CreateKey(site.Id);
        // On the home page two visitors a day for two weeks, then five a day for the last two weeks (today excluded);
        // on the blog, which the decision does not touch, one a day, then two.
        var today = DateTime.UtcNow.Date;
        for (var day = 28; day >= 1; day--)
        {
            var noon = new DateTimeOffset(today.AddDays(-day).AddHours(12), TimeSpan.Zero);
            for (var visitor = 0; visitor < (day > 14 ? 2 : 5); visitor++)
                Assert.True((await panorama.PostEventAsync(EventBodies.Pageview("shop.test", "/", noon, $"198.51.{day}.{visitor}"), key)).IsSuccessStatusCode);
            for (var visitor = 0; visitor < (day > 14 ? 1 : 2); visitor++)
                Assert.True((await panorama.PostEventAsync(EventBodies.Pageview("shop.test", "/blog", noon, $"198.52.{day}.{visitor}"), key)).IsSuccessStatusCode);
        }
        await panorama.CreateUserAsync("head@x.test", owner: true);
    }

    public async Task DisposeAsync() => await panorama.DisposeAsync();

    [Fact]
    public async Task Decision_ProposeApproveImplementEvaluate_OutcomeMeasuredAndOnTheChart()
    {
        await using var context = await chromium.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.SignInAsync(panorama, "head@x.test");

        await page.GotoAsync(panorama.BaseUrl + "/decisions");
        await page.FillAsync("#title", "Launch the autumn newsletter");
        await page.SelectOptionAsync("#importance", "Important");
        await page.FillAsync("#benefits", "More returning visitors");
        await page.FillAsync("#risks", "Unsubscribes");
        await page.SelectOptionAsync("#site", new SelectOptionValue { Label = "shop.test" });
        await page.SelectOptionAsync("#metric", "visitors");
        await page.FillAsync("#filters", """[["is","event:page",["/"]]]""");
        await page.FillAsync("#control", """[["is","event:page",["/blog"]]]""");
        await page.FillAsync("#expected-change", "50");
        await page.ClickAsync("#propose button.primary");
        await page.ArriveAtAsync(new Regex("/decisions/\\d+$"));
        // Baseline: the daily mean of the four weeks before the proposal, (14 × 2 + 14 × 5) ÷ 28.
        await Assertions.Expect(page.Locator("#metrics td.num")).ToHaveTextAsync("3.5");
        await Assertions.Expect(page.Locator("#status")).ToHaveAttributeAsync("data-status", "Draft");

        await page.ClickAsync("text=Submit for review");
        await Assertions.Expect(page.Locator("#status")).ToHaveAttributeAsync("data-status", "UnderReview");
        await page.FillAsync("#note", "Go");
        await page.ClickAsync("button:text('Approve')");
        await Assertions.Expect(page.Locator("#status")).ToHaveAttributeAsync("data-status", "Approved");
        await page.FillAsync("#on", DateTime.UtcNow.Date.AddDays(-14).ToString("yyyy-MM-dd"));
        await page.ClickAsync("text=Mark implemented");
        await Assertions.Expect(page.Locator("#status")).ToHaveAttributeAsync("data-status", "Implemented");
        await page.ClickAsync("text=Measure the outcome");
        await Assertions.Expect(page.Locator("#status")).ToHaveAttributeAsync("data-status", "Evaluated");
        var outcome = page.Locator("#outcome tr[data-metric=visitors]:not(.did)");
        await Assertions.Expect(outcome).ToContainTextAsync("+3 (+150%)");
        await Assertions.Expect(outcome.Locator(".verdict")).ToHaveTextAsync("rose");
        // Difference-in-differences: the daily gap home − blog went from 1 to 3, so +2 is the decision's, +1 moved both.
        var controlled = page.Locator("#outcome tr.did");
        await Assertions.Expect(controlled).ToContainTextAsync("+2 (control +1)");
        await Assertions.Expect(controlled.Locator(".verdict")).ToHaveTextAsync("rose");
        await Assertions.Expect(page.Locator("#history li")).ToHaveCountAsync(5);

        await page.GotoAsync(panorama.BaseUrl + "/sites/shop.test?period=30d");
        await Assertions.Expect(page.Locator("#chart-annotations li")).ToContainTextAsync("Launch the autumn newsletter");
    }
}
