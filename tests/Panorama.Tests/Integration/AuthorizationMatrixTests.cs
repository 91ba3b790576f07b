using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Panorama.Core.Accounts;
using Panorama.Core.Goals;
using Panorama.Tests.Support;

namespace Panorama.Tests.Integration;

/// <summary>
/// Every dashboard page and stats endpoint, for every kind of caller, on the caller's site and on a foreign one.
/// Foreign sites answer 404 (their existence is not revealed); signed-out callers go to the sign-in page (pages)
/// or get 401 (API).
/// </summary>
public sealed class AuthorizationMatrixTests : IAsyncLifetime
{
    const string SiteA = "a.test";
    const string SiteB = "b.test";
    TestServer server = null!;
    int siteA;
    SharedLink openLink = null!;
    SharedLink lockedLink = null!;

    public async Task InitializeAsync()
    {
        server = await TestServer.StartAsync();
        siteA = server.AddSite(SiteA).Id;
        server.AddSite(SiteB);
        await server.CreateUserAsync("owner@x.test", owner: true);
        await server.CreateUserAsync("admin@x.test", false, (siteA, SiteRole.Admin));
        await server.CreateUserAsync("editor@x.test", false, (siteA, SiteRole.Editor));
        await server.CreateUserAsync("viewer@x.test", false, (siteA, SiteRole.Viewer));
        var links = server.Services.GetRequiredService<SharedLinks>();
        openLink = links.Create(siteA, "open", null);
        lockedLink = links.Create(siteA, "locked", "link password");
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    static readonly string[] ApiReads =
    [
        "POST /api/v2/query", "POST /api/v2/funnel", "GET /api/v2/realtime/visitors", "GET /api/v2/export", "GET /api/v2/properties",
        "GET /api/v2/goals", "GET /api/v2/segments", "GET /api/v1/sites/goals", "GET /api/v1/stats/summary", "GET /api/v1/stats/breakdown",
    ];

    static HttpRequestMessage ApiRequest(string endpoint, string domain)
    {
        var (method, path) = (endpoint.Split(' ')[0], endpoint.Split(' ')[1]);
        if (method == "GET")
            return new HttpRequestMessage(HttpMethod.Get, $"{path}?site_id={domain}&period=7d&date_range=7d&property=visit:source");
        object body = path.EndsWith("funnel", StringComparison.Ordinal)
            ? new { site_id = domain, date_range = "7d", steps = new object[] { new { page = "/" }, new { page = "/pricing" } } }
            : new { site_id = domain, date_range = "7d", metrics = new[] { "visitors" } };
        return new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
    }

    async Task<HttpStatusCode> StatusAsync(WebSession session, HttpRequestMessage request, string? shareToken = null)
    {
        if (shareToken is not null) request.Headers.Add("X-Panorama-Share", shareToken);
        using var response = await session.SendAsync(request);
        return response.StatusCode;
    }

    [Theory]
    [InlineData("owner@x.test", HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK)]
    [InlineData("admin@x.test", HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.NotFound, HttpStatusCode.NotFound)]
    [InlineData("editor@x.test", HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.NotFound, HttpStatusCode.NotFound)]
    [InlineData("viewer@x.test", HttpStatusCode.OK, HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound)]
    public async Task Pages_EachRole_OwnSiteAllowedForeignSiteNotFound(string email, HttpStatusCode dashboardA, HttpStatusCode settingsA,
        HttpStatusCode dashboardB, HttpStatusCode settingsB)
    {
        using var session = await WebSession.SignInAsync(server, email);
        Assert.Equal(dashboardA, (await session.GetAsync($"/sites/{SiteA}")).StatusCode);
        Assert.Equal(settingsA, (await session.GetAsync($"/sites/{SiteA}/settings")).StatusCode);
        Assert.Equal(dashboardB, (await session.GetAsync($"/sites/{SiteB}")).StatusCode);
        Assert.Equal(settingsB, (await session.GetAsync($"/sites/{SiteB}/settings")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await session.GetAsync("/sites/missing.test")).StatusCode);
    }

    [Theory]
    [InlineData("owner@x.test", true)]
    [InlineData("admin@x.test", false)]
    [InlineData("editor@x.test", false)]
    [InlineData("viewer@x.test", false)]
    public async Task StatsApi_EachRoleWithSessionCookie_ReadsOwnSitesOnly(string email, bool readsSiteB)
    {
        using var session = await WebSession.SignInAsync(server, email);
        foreach (var endpoint in ApiReads)
        {
            Assert.True(HttpStatusCode.OK == await StatusAsync(session, ApiRequest(endpoint, SiteA)), $"{email} {endpoint} on {SiteA}");
            var expected = readsSiteB ? HttpStatusCode.OK : HttpStatusCode.NotFound;
            Assert.True(expected == await StatusAsync(session, ApiRequest(endpoint, SiteB)), $"{email} {endpoint} on {SiteB}");
        }
    }

    [Fact]
    public async Task StatsApi_SignedOut_Unauthorized()
    {
        using var session = new WebSession(server.BaseUrl);
        foreach (var endpoint in ApiReads)
            Assert.True(HttpStatusCode.Unauthorized == await StatusAsync(session, ApiRequest(endpoint, SiteA)), endpoint);
    }

    [Fact]
    public async Task Pages_SignedOut_RedirectToSignIn()
    {
        using var session = new WebSession(server.BaseUrl);
        foreach (var path in new[] { "/sites", $"/sites/{SiteA}", $"/sites/{SiteA}/settings", "/keys", "/account" })
        {
            var response = await session.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/login", response.Headers.Location!.AbsolutePath);
        }
    }

    [Fact]
    public async Task SharedLink_ReadsItsSiteOnly_NeverSettingsOrOtherSites()
    {
        using var session = new WebSession(server.BaseUrl);
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync($"/share/{openLink.Token}")).StatusCode);
        foreach (var endpoint in ApiReads)
        {
            Assert.True(HttpStatusCode.OK == await StatusAsync(session, ApiRequest(endpoint, SiteA), openLink.Token), $"{endpoint} on {SiteA}");
            Assert.True(HttpStatusCode.NotFound == await StatusAsync(session, ApiRequest(endpoint, SiteB), openLink.Token), $"{endpoint} on {SiteB}");
        }
        Assert.Equal(HttpStatusCode.Redirect, (await session.GetAsync($"/sites/{SiteA}/settings")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await session.GetAsync($"/sites/{SiteA}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await session.GetAsync("/share/0123456789abcdef0123456789abcdef")).StatusCode);
    }

    [Fact]
    public async Task SharedLink_WithPassword_ReportsOnlyAfterThePassword()
    {
        using var session = new WebSession(server.BaseUrl);
        Assert.True(HttpStatusCode.NotFound == await StatusAsync(session, ApiRequest("POST /api/v2/query", SiteA), lockedLink.Token));
        var page = await (await session.GetAsync($"/share/{lockedLink.Token}")).Content.ReadAsStringAsync();
        Assert.Contains("protected by a password", page);
        Assert.DoesNotContain("dashboard-config", page);

        var wrong = await session.PostFormAsync($"/share/{lockedLink.Token}", $"/share/{lockedLink.Token}", new() { ["password"] = "guess" });
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        Assert.True(HttpStatusCode.NotFound == await StatusAsync(session, ApiRequest("POST /api/v2/query", SiteA), lockedLink.Token));

        var right = await session.PostFormAsync($"/share/{lockedLink.Token}", $"/share/{lockedLink.Token}", new() { ["password"] = "link password" });
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.True(HttpStatusCode.OK == await StatusAsync(session, ApiRequest("POST /api/v2/query", SiteA), lockedLink.Token));
        Assert.Contains("dashboard-config", await (await session.GetAsync($"/share/{lockedLink.Token}")).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task SharedLink_PasswordGuessing_SlowedAfterTenAttempts()
    {
        using var session = new WebSession(server.BaseUrl);
        for (var i = 0; i < 10; i++)
            Assert.Equal(HttpStatusCode.OK, (await session.PostFormAsync($"/share/{lockedLink.Token}", $"/share/{lockedLink.Token}", new() { ["password"] = $"guess {i}" })).StatusCode);
        var blocked = await session.PostFormAsync($"/share/{lockedLink.Token}", $"/share/{lockedLink.Token}", new() { ["password"] = "link password" });
        Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);
        Assert.True(HttpStatusCode.NotFound == await StatusAsync(session, ApiRequest("POST /api/v2/query", SiteA), lockedLink.Token));
    }

    [Fact]
    public async Task GoalChanges_ThroughApiWithSessionCookie_RefusedWithoutAnApiKey()
    {
        using var session = await WebSession.SignInAsync(server, "owner@x.test");
        var response = await session.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/api/v2/goals?site_id={SiteA}") { Content = JsonContent.Create(new { event_name = "Signup" }) });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(server.Services.GetRequiredService<GoalService>().ForSite(siteA));
    }

    [Theory]
    [InlineData("viewer@x.test", HttpStatusCode.NotFound, 0)]
    [InlineData("editor@x.test", HttpStatusCode.Redirect, 1)]
    public async Task SettingsForm_AddGoal_OnlyEditorsAndAbove(string email, HttpStatusCode expected, int goalsAfter)
    {
        using var session = await WebSession.SignInAsync(server, email);
        // A viewer cannot load the form, so borrow a token from a page every signed-in person can open.
        var response = await session.PostFormAsync("/account", $"/sites/{SiteA}/settings?handler=AddGoal", new() { ["kind"] = "event", ["value"] = "Signup" });
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(goalsAfter, server.Services.GetRequiredService<GoalService>().ForSite(siteA).Count);
    }

    [Fact]
    public async Task SettingsForm_AddGoal_WithPropertiesAndAName_BadPropertiesSaidOnThePage()
    {
        using var session = await WebSession.SignInAsync(server, "editor@x.test");
        var settings = $"/sites/{SiteA}/settings";
        var added = await session.PostFormAsync(settings, settings + "?handler=AddGoal",
            new() { ["kind"] = "page", ["value"] = "/pricing", ["props"] = "variant = b; source=ad", ["name"] = "Pricing, variant B" });
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        var goal = server.Services.GetRequiredService<GoalService>().ForSite(siteA).Single();
        Assert.Equal(("Pricing, variant B", "/pricing"), (goal.DisplayName, goal.PagePath));
        Assert.Equal(new Dictionary<string, string> { ["source"] = "ad", ["variant"] = "b" }, goal.CustomProps);
        Assert.Contains("Pricing, variant B", await (await session.GetAsync(settings)).Content.ReadAsStringAsync());

        var scroll = await session.PostFormAsync(settings, settings + "?handler=AddGoal", new() { ["kind"] = "scroll", ["value"] = "/blog/**", ["scroll"] = "75" });
        Assert.Equal(HttpStatusCode.Redirect, scroll.StatusCode);
        Assert.Contains(server.Services.GetRequiredService<GoalService>().ForSite(siteA), g => g.DisplayName == "Scroll 75% on /blog/**" && g.ScrollThreshold == 75);
        var noDepth = await session.PostFormAsync(settings, settings + "?handler=AddGoal", new() { ["kind"] = "scroll", ["value"] = "/pricing" });
        Assert.Contains("scroll_threshold", await noDepth.Content.ReadAsStringAsync());
        var refused = await session.PostFormAsync(settings, settings + "?handler=AddGoal", new() { ["kind"] = "event", ["value"] = "Signup", ["props"] = "plan" });
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("&#x27;plan&#x27; is not a property as name=value.", await refused.Content.ReadAsStringAsync());
        Assert.Equal(2, server.Services.GetRequiredService<GoalService>().ForSite(siteA).Count);
    }

    [Fact]
    public async Task SettingsForm_WithoutAntiforgeryToken_Rejected()
    {
        using var session = await WebSession.SignInAsync(server, "owner@x.test");
        var response = await session.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/sites/{SiteA}/settings?handler=AddGoal")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["kind"] = "event", ["value"] = "Signup" }),
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(server.Services.GetRequiredService<GoalService>().ForSite(siteA));
    }

    [Fact]
    public async Task SessionCookie_HttpOnlyAndSameSite()
    {
        using var session = new WebSession(server.BaseUrl);
        var response = await session.PostFormAsync("/login", "/login", new() { ["Email"] = "viewer@x.test", ["Password"] = TestServer.Password });
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("panorama_session=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
    }
}
