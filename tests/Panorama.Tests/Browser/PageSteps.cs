using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Panorama.Tests.Support;

namespace Panorama.Tests.Browser;

/// <summary>Steps every browser test takes: signing in, and arriving at a page after a form or link.</summary>
static class PageSteps
{
    /// <summary>Signs a page in through the login form, with the test password, and waits for the sites list.</summary>
    public static async Task SignInAsync(this IPage page, TestServer server, string email)
    {
        await page.GotoAsync(server.BaseUrl + "/login");
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", TestServer.Password);
        await page.ClickAsync("button.primary");
        await page.ArriveAtAsync(new Regex("/sites$"));
        await Assertions.Expect(page.Locator("h1")).ToBeVisibleAsync();
    }

    /// <summary>
    /// Waits until the page's address matches. Not WaitForURLAsync: when the address already matches it waits for the
    /// load event, which twice never came in CI after the sign-in redirect (Playwright logged the network idle, never
    /// the load), and its WaitUntil = Commit still waits for the load in that case. What a test then checks is read
    /// through assertions that retry, so they wait for the document themselves (or it waits for what it needs, as the
    /// tracker test waits for the tracker).
    /// </summary>
    public static Task ArriveAtAsync(this IPage page, Regex url) => Assertions.Expect(page).ToHaveURLAsync(url);
}
