using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Panorama.Core.Accounts;
using Panorama.Core.Data;
using Panorama.Tests.Support;

namespace Panorama.Tests.Integration;

/// <summary>First run, sign-in, invitations and API keys through the web interface, over HTTP with real storage.</summary>
public sealed partial class AccountTests : IAsyncLifetime
{
    TestServer server = null!;

    public async Task InitializeAsync() => server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task FirstRun_CreatesTheOwnerOnce_PasswordStoredHashed()
    {
        using var visitor = new WebSession(server.BaseUrl);
        Assert.Equal("/setup", (await visitor.GetAsync("/")).Headers.Location!.OriginalString);
        var created = await visitor.PostFormAsync("/setup", "/setup", new() { ["email"] = "head@x.test", ["password"] = TestServer.Password, ["domain"] = "www.Shop.test" });
        Assert.Equal("/sites/shop.test/settings", created.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await visitor.GetAsync("/sites/shop.test/settings")).StatusCode);

        using var second = new WebSession(server.BaseUrl);
        Assert.Equal("/login", (await second.GetAsync("/setup")).Headers.Location!.OriginalString);
        var again = await second.PostFormAsync("/login", "/setup", new() { ["email"] = "intruder@x.test", ["password"] = TestServer.Password });
        Assert.Equal("/login", again.Headers.Location!.OriginalString);

        using var db = server.Services.GetRequiredService<IDbContextFactory<PanoramaDbContext>>().CreateDbContext();
        var owner = Assert.Single(db.Users);
        Assert.True(owner.IsOwner);
        Assert.DoesNotContain(TestServer.Password, owner.PasswordHash);
    }

    [Fact]
    public async Task SignIn_FiveWrongPasswords_LocksTheAccount()
    {
        await server.CreateUserAsync("owner@x.test", owner: true);
        using var session = new WebSession(server.BaseUrl);
        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.OK, (await session.PostFormAsync("/login", "/login", new() { ["Email"] = "owner@x.test", ["Password"] = "wrong password" })).StatusCode);
        var locked = await session.PostFormAsync("/login", "/login", new() { ["Email"] = "owner@x.test", ["Password"] = TestServer.Password });
        Assert.Equal(HttpStatusCode.OK, locked.StatusCode);
        Assert.Contains("locked", await locked.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Invitation_AdminInvitesViewer_NewPersonRegistersAndSeesOnlyThatSite()
    {
        var shop = server.AddSite("shop.test");
        server.AddSite("other.test");
        await server.CreateUserAsync("admin@x.test", false, (shop.Id, SiteRole.Admin));
        using var admin = await WebSession.SignInAsync(server, "admin@x.test");
        var invited = await admin.PostFormAsync("/sites/shop.test/settings", "/sites/shop.test/settings?handler=Invite", new() { ["email"] = "new@x.test", ["role"] = "Viewer" });
        var link = InvitationLink().Match(await invited.Content.ReadAsStringAsync()).Groups[1].Value;
        Assert.NotEmpty(link);

        using var newcomer = new WebSession(server.BaseUrl);
        var path = new Uri(link).PathAndQuery;
        var registered = await newcomer.PostFormAsync(path, path + "?handler=Register", new() { ["password"] = TestServer.Password });
        Assert.Equal("/sites/shop.test", registered.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await newcomer.GetAsync("/sites/shop.test")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await newcomer.GetAsync("/sites/shop.test/settings")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await newcomer.GetAsync("/sites/other.test")).StatusCode);

        using var reuse = new WebSession(server.BaseUrl);
        Assert.Equal(HttpStatusCode.NotFound, (await reuse.GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task ApiKey_CreatedInTheUi_ShownOnceStoredHashedScopedToItsSite()
    {
        var shop = server.AddSite("shop.test");
        server.AddSite("other.test");
        await server.CreateUserAsync("editor@x.test", false, (shop.Id, SiteRole.Editor));
        using var editor = await WebSession.SignInAsync(server, "editor@x.test");
        var created = await editor.PostFormAsync("/keys", "/keys?handler=Create", new() { ["name"] = "reporting", ["sites"] = shop.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        var secret = KeySecret().Match(await created.Content.ReadAsStringAsync()).Groups[1].Value;
        Assert.StartsWith("pk_", secret);
        Assert.DoesNotContain(secret, await (await editor.GetAsync("/keys")).Content.ReadAsStringAsync());

        using var db = server.Services.GetRequiredService<IDbContextFactory<PanoramaDbContext>>().CreateDbContext();
        Assert.DoesNotContain(db.ApiKeys, k => k.Hash.Contains(secret[3..], StringComparison.Ordinal));

        async Task<HttpStatusCode> Query(string domain)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/stats/summary?site_id={domain}&period=7d");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
            return (await server.Http.SendAsync(request)).StatusCode;
        }
        Assert.Equal(HttpStatusCode.OK, await Query("shop.test"));
        Assert.Equal(HttpStatusCode.NotFound, await Query("other.test"));

        var foreign = await editor.PostFormAsync("/keys", "/keys?handler=Create", new() { ["name"] = "sneaky", ["sites"] = (shop.Id + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) });
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
    }

    [Fact]
    public async Task AccessLog_RecordsInvitationsKeysAndLinks_OwnerOnly()
    {
        var shop = server.AddSite("shop.test");
        await server.CreateUserAsync("owner@x.test", owner: true);
        await server.CreateUserAsync("admin@x.test", false, (shop.Id, SiteRole.Admin));
        using var admin = await WebSession.SignInAsync(server, "admin@x.test");
        await admin.PostFormAsync("/sites/shop.test/settings", "/sites/shop.test/settings?handler=Invite", new() { ["email"] = "new@x.test", ["role"] = "Editor" });
        await admin.PostFormAsync("/sites/shop.test/settings", "/sites/shop.test/settings?handler=AddLink", new() { ["name"] = "Board", ["password"] = "secret words" });
        await admin.PostFormAsync("/keys", "/keys?handler=Create", new() { ["name"] = "reports", ["sites"] = shop.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/account/access-log")).StatusCode);

        using var owner = await WebSession.SignInAsync(server, "owner@x.test");
        var log = WebUtility.HtmlDecode(await (await owner.GetAsync("/account/access-log")).Content.ReadAsStringAsync());
        Assert.Contains("admin@x.test</td><td>invited: new@x.test as Editor on shop.test", log);
        Assert.Contains("created shared link: 'Board' (password) on shop.test", log);
        Assert.Contains("created API key: 'reports' for shop.test", log);
    }

    [Fact]
    public async Task OwnerFromEnvironment_CreatedAtStart()
    {
        await using var provisioned = await TestServer.StartAsync("--PANORAMA_ADMIN_EMAIL=ops@x.test", $"--PANORAMA_ADMIN_PASSWORD={TestServer.Password}");
        using var session = await WebSession.SignInAsync(provisioned, "ops@x.test");
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/sites")).StatusCode);
        using var scope = provisioned.Services.CreateScope();
        Assert.True((await scope.ServiceProvider.GetRequiredService<UserManager<PanoramaUser>>().FindByEmailAsync("ops@x.test"))!.IsOwner);
    }

    [GeneratedRegex("id=\"created-link\" readonly value=\"([^\"]+)\"")]
    private static partial Regex InvitationLink();

    [GeneratedRegex("id=\"new-key\" readonly value=\"([^\"]+)\"")]
    private static partial Regex KeySecret();
}
