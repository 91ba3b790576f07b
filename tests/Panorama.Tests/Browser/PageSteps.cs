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
    /// Waits until the page's address matches, from the moment the new document commits. The default wait for the
    /// load event once hung for 30 s in CI after a redirect (Playwright logged the network idle, never the load);
    /// what a test then checks is read through assertions that retry, so they wait for the document themselves.
    /// </summary>
    public static Task ArriveAtAsync(this IPage page, Regex url) =>
        page.WaitForURLAsync(url, new PageWaitForURLOptions { WaitUntil = WaitUntilState.Commit });
}
