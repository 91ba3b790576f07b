using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Panorama.Core.Accounts;
using Panorama.Tests.Support;

namespace Panorama.Tests.Integration;

/// <summary>A forgotten password (a link by email, or the owner's command), a changed password, and invitations by email.</summary>
public sealed partial class PasswordTests : IAsyncLifetime
{
    const string Email = "bea@shop.test", NewPassword = "a brand new passphrase";
    readonly SmtpSink smtp = new();
    TestServer server = null!;

    public async Task InitializeAsync()
    {
        server = await TestServer.StartAsync([.. smtp.Settings, "--Panorama:PublicUrl=https://stats.shop.test"]);
        await server.CreateUserAsync(Email);
    }

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        smtp.Dispose();
    }

    static async Task<string> Text(HttpResponseMessage response) => WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

    [Fact]
    public async Task ForgottenPassword_LinkByEmail_SetsANewOne_OnceAndLiftsTheLockout()
    {
        using (var scope = server.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PanoramaUser>>();
            await users.SetLockoutEndDateAsync((await users.FindByEmailAsync(Email))!, DateTimeOffset.UtcNow.AddMinutes(15));
        }
        using var visitor = new WebSession(server.BaseUrl);
        var login = await Text(await visitor.GetAsync("/login"));
        Assert.Contains("href=\"/account/forgot-password\"", login);

        var asked = await visitor.PostFormAsync("/account/forgot-password", "/account/forgot-password", new() { ["email"] = Email });
        Assert.Contains($"If an account uses {Email}, a link to set a new password is on its way there.", await Text(asked));
        var message = await FirstMessageAsync();
        Assert.Equal((Email, "Panorama: set a new password"), (message.To.ToString(), message.Subject));
        var link = new Uri(ResetLink().Match(message.TextBody!).Value);
        Assert.Equal("stats.shop.test", link.Host);

        // An address without an account gets the same answer, and no message.
        var unknown = await visitor.PostFormAsync("/account/forgot-password", "/account/forgot-password", new() { ["email"] = "nobody@shop.test" });
        Assert.Contains("If an account uses nobody@shop.test", await Text(unknown));
        await Task.Delay(500);
        Assert.Single(smtp.Messages);

        var form = await visitor.GetAsync(link.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        var tooShort = await visitor.PostFormAsync(link.PathAndQuery, link.PathAndQuery,
            new() { ["email"] = Email, ["token"] = Token(link), ["password"] = "short" });
        Assert.Contains("Passwords must be at least 10 characters.", await Text(tooShort));
        var set = await visitor.PostFormAsync(link.PathAndQuery, link.PathAndQuery, new() { ["email"] = Email, ["token"] = Token(link), ["password"] = NewPassword });
        Assert.Equal(HttpStatusCode.Redirect, set.StatusCode);
        Assert.Equal("/login?password=changed", set.Headers.Location!.OriginalString);

        // The new password signs in (the lockout is lifted); the old one does not; the link is spent.
        using (await WebSession.SignInAsync(server, Email, NewPassword)) { }
        using var old = new WebSession(server.BaseUrl);
        Assert.Equal(HttpStatusCode.OK, (await old.PostFormAsync("/login", "/login", new() { ["Email"] = Email, ["Password"] = TestServer.Password })).StatusCode);
        var again = await visitor.PostFormAsync(link.PathAndQuery, link.PathAndQuery, new() { ["email"] = Email, ["token"] = Token(link), ["password"] = "yet another passphrase" });
        Assert.Contains("This link is not valid any more: ask for a new one.", await Text(again));
        Assert.Contains("set a new password", string.Join("\n", server.Services.GetRequiredService<AccessAudit>().Latest(10).Select(e => e.Action)));
    }

    /// <summary>The password link goes out after the page answers.</summary>
    async Task<MimeKit.MimeMessage> FirstMessageAsync()
    {
        for (var waited = 0; smtp.Messages.IsEmpty && waited < 10_000; waited += 50) await Task.Delay(50);
        return Assert.Single(smtp.Messages);
    }

    static string Token(Uri link) => System.Web.HttpUtility.ParseQueryString(link.Query)["token"]!;

    [Fact]
    public async Task ChangePassword_NeedsTheCurrentOne()
    {
        using var session = await WebSession.SignInAsync(server, Email);
        var wrong = await session.PostFormAsync("/account", "/account?handler=ChangePassword", new() { ["current"] = "not it at all", ["password"] = NewPassword });
        Assert.Contains("The current password is wrong.", await Text(wrong));
        var changed = await session.PostFormAsync("/account", "/account?handler=ChangePassword", new() { ["current"] = TestServer.Password, ["password"] = NewPassword });
        Assert.Contains("The password is changed", await Text(changed));
        using (await WebSession.SignInAsync(server, Email, NewPassword)) { }
    }

    [Fact]
    public async Task Invitation_WithAMailServer_GoesByEmail()
    {
        var site = server.AddSite("shop.test");
        await server.CreateUserAsync("admin@shop.test", false, (site.Id, SiteRole.Admin));
        using var admin = await WebSession.SignInAsync(server, "admin@shop.test");
        var page = await admin.PostFormAsync("/sites/shop.test/settings", "/sites/shop.test/settings?handler=Invite", new() { ["email"] = "new@shop.test", ["role"] = "Editor" });
        var html = await Text(page);
        Assert.Contains("The invitation was sent to new@shop.test.", html);
        var message = Assert.Single(smtp.Messages);
        Assert.Equal(("new@shop.test", "Panorama: an invitation to shop.test"), (message.To.ToString(), message.Subject));
        Assert.Contains("admin@shop.test invites you to the analytics of shop.test in Panorama, as Editor.", message.TextBody);
        var link = InviteLink().Match(message.TextBody!).Value;
        Assert.Contains(link, html);
        using var invited = new WebSession(server.BaseUrl);
        Assert.Equal(HttpStatusCode.OK, (await invited.GetAsync(new Uri(link).PathAndQuery)).StatusCode);

        // An address MimeKit cannot parse still gets its link on the page, and the reason, not a 500.
        var odd = await admin.PostFormAsync("/sites/shop.test/settings", "/sites/shop.test/settings?handler=Invite", new() { ["email"] = "odd@@shop.test", ["role"] = "Viewer" });
        Assert.Equal(HttpStatusCode.OK, odd.StatusCode);
        Assert.Contains("The mail server did not take the message", await Text(odd));
        Assert.Single(smtp.Messages);
    }

    [Fact]
    public async Task WithoutAMailServer_ThePageSaysHowTheOwnerSetsOne()
    {
        await using var quiet = await TestServer.StartAsync();
        using var visitor = new WebSession(quiet.BaseUrl);
        var page = await Text(await visitor.GetAsync("/account/forgot-password?email=bea%40shop.test"));
        Assert.Contains("This server sends no email", page);
        Assert.Contains("panorama users reset-password bea@shop.test", page);
    }

    [GeneratedRegex(@"https://stats\.shop\.test/account/reset-password\?\S+")]
    private static partial Regex ResetLink();

    [GeneratedRegex(@"https://stats\.shop\.test/invite/\S+")]
    private static partial Regex InviteLink();
}
