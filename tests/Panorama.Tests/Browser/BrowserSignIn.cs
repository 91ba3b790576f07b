using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Panorama.Tests.Support;

namespace Panorama.Tests.Browser;

/// <summary>Signs a page in through the login form, with the test password, and waits for the sites list.</summary>
static class BrowserSignIn
{
    public static async Task SignInAsync(this IPage page, TestServer server, string email)
    {
        await page.GotoAsync(server.BaseUrl + "/login");
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", TestServer.Password);
        await page.ClickAsync("button.primary");
        await page.WaitForURLAsync(new Regex("/sites$"));
    }
}
