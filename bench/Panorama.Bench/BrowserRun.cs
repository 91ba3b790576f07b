using Microsoft.Playwright;

namespace Panorama.Bench;

/// <summary>Debian's Chromium under Playwright, and the steps the browser-based runs share.</summary>
static class BrowserRun
{
    public static Task<IBrowser> LaunchAsync(IPlaywright playwright) => playwright.Chromium.LaunchAsync(new()
    {
        ExecutablePath = "/usr/bin/chromium",
        Headless = true,
        Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });

    public static async Task SignInAsync(IPage page, string baseUrl, string email, string password)
    {
        await page.GotoAsync(baseUrl + "/login");
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", password);
        await page.ClickAsync("button.primary");
        await page.WaitForURLAsync(baseUrl + "/sites");
    }

    /// <summary>Waits until every panel of a dashboard has drawn (the page marks <c>body[data-rendered]</c>); other pages return at once.</summary>
    public static async Task WaitForDashboardAsync(IPage page)
    {
        if (await page.Locator("#dashboard").CountAsync() == 0) return;
        await page.WaitForFunctionAsync("() => document.body.dataset.loading === 'false'", null, new() { Timeout = 60_000 });
    }
}
