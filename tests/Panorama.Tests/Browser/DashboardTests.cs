using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Panorama.Core.Accounts;
using Panorama.Tests.Support;

namespace Panorama.Tests.Browser;

/// <summary>The dashboard and accounts in real Chromium against a real server with known traffic.</summary>
[Collection(ChromiumCollection.Name)]
public sealed partial class DashboardTests(ChromiumFixture chromium) : IAsyncLifetime
{
    const string Domain = "shop.test";
    TestServer panorama = null!;
    int siteId;
    string key = "";

    public async Task InitializeAsync()
    {
        panorama = await TestServer.StartAsync();
        siteId = panorama.AddSite(Domain).Id;
        key = panorama.CreateKey(siteId);
    }

    public async Task DisposeAsync() => await panorama.DisposeAsync();

    string Url(string path) => $"http://panorama.test:{new Uri(panorama.BaseUrl).Port}{path}";

    /// <summary>
    /// Yesterday: 3 visitors from Google (two go on to /pricing, one of them signs up) and 2 from Bing.
    /// Ten days ago: 1 visitor from Google — the previous period of "last 7 days".
    /// </summary>
    async Task SeedAsync()
    {
        var yesterday = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(-1).AddHours(12), TimeSpan.Zero);
        async Task Post(System.Text.Json.Nodes.JsonObject body) => Assert.True((await panorama.PostEventAsync(body, key)).IsSuccessStatusCode);
        for (var i = 1; i <= 3; i++)
        {
            await Post(EventBodies.Pageview(Domain, "/", yesterday.AddMinutes(i), $"203.0.113.{i}", referrer: "https://www.google.com/"));
            if (i <= 2) await Post(EventBodies.Pageview(Domain, "/pricing", yesterday.AddMinutes(i + 1), $"203.0.113.{i}"));
        }
        await Post(EventBodies.Event("Signup", Domain, $"https://{Domain}/pricing", yesterday.AddMinutes(3), "203.0.113.1", UserAgents.ChromeWindows));
        for (var i = 4; i <= 5; i++)
            await Post(EventBodies.Pageview(Domain, "/", yesterday.AddMinutes(i), $"203.0.113.{i}", referrer: "https://www.bing.com/"));
        await Post(EventBodies.Pageview(Domain, "/", yesterday.AddDays(-9), "198.51.100.1", referrer: "https://www.google.com/"));
    }

    async Task<IPage> SignInAsync(IBrowserContext context, string email, string password = TestServer.Password)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync(Url("/login"));
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", password);
        await page.ClickAsync("button.primary");
        return page;
    }

    static ILocator TopStat(IPage page, string metric) => page.Locator($"[data-metric={metric}] .stat-value");

    [Fact]
    public async Task FirstRun_OwnerAddsSiteCopiesSnippet_DashboardWaitsForTheFirstVisit_ThenShowsVisitsLive()
    {
        await using var fresh = await TestServer.StartAsync();
        var port = new Uri(fresh.BaseUrl).Port;
        await using var context = await chromium.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync($"http://panorama.test:{port}/");
        Assert.EndsWith("/setup", page.Url);
        await page.FillAsync("#email", "head@shop.test");
        await page.FillAsync("#password", TestServer.Password);
        await page.FillAsync("#domain", "news.test");
        await page.ClickAsync("button.primary");
        await page.ArriveAtAsync(new Regex("/sites/news.test/settings$"));
        var snippet = await page.InputValueAsync("#snippet");
        Assert.Contains("data-domain=\"news.test\"", snippet);
        var trackerUrl = SnippetSource().Match(snippet).Groups[1].Value;
        Assert.Equal($"http://panorama.test:{port}/js/script.js", trackerUrl);

        await page.ClickAsync("text=Open the dashboard");
        await page.ArriveAtAsync(new Regex("/sites/news.test$"));
        // No event yet: the page waits for the first one, with the snippet at hand.
        await Assertions.Expect(page.Locator("#waiting h1")).ToHaveTextAsync("Waiting for the first pageview on news.test");
        Assert.Equal(snippet, await page.InputValueAsync("#waiting #snippet"));

        await using var news = await ShopSite.StartAsync("news.test", trackerUrl);
        await using var reader = await chromium.NewContextAsync();
        var article = await reader.NewPageAsync();
        await article.GotoAsync($"http://news.test:{news.Port}/about");

        // The first pageview turns the page into the dashboard by itself; the next ones appear live, without a reload.
        await Assertions.Expect(page.Locator("#realtime-count")).ToHaveTextAsync("1", new() { Timeout = 15_000 });
        await Assertions.Expect(page.Locator("#waiting")).ToHaveCountAsync(0);
        await article.GotoAsync($"http://news.test:{news.Port}/missing");
        await Assertions.Expect(page.Locator("#live-events")).ToContainTextAsync("/missing", new() { Timeout = 15_000 });
    }

    [Fact]
    public async Task Details_WholeListWithTimeOnPageAndScrollDepth_Searchable_ARowFilters()
    {
        await SeedAsync();
        // Visitors 1 and 2 left /pricing after 20 s at 60% and 40 s at 80%.
        var left = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(-1).AddHours(12), TimeSpan.Zero);
        foreach (var (visitor, depth, ms) in new[] { (1, 60, 20_000), (2, 80, 40_000) })
        {
            var engagement = EventBodies.Event("engagement", Domain, $"https://{Domain}/pricing", left.AddMinutes(visitor + 1).AddSeconds(50), $"203.0.113.{visitor}", UserAgents.ChromeWindows);
            engagement["sd"] = depth;
            engagement["e"] = ms;
            Assert.True((await panorama.PostEventAsync(engagement, key)).IsSuccessStatusCode);
        }
        await panorama.CreateUserAsync("viewer@shop.test", false, (siteId, SiteRole.Viewer));
        await using var context = await chromium.NewContextAsync();
        var page = await SignInAsync(context, "viewer@shop.test");
        await page.GotoAsync(Url($"/sites/{Domain}?period=7d"));

        // The pages' engagement is a top stat only under a page filter.
        await Assertions.Expect(TopStat(page, "visitors")).ToHaveTextAsync("5");
        await Assertions.Expect(page.Locator("#top-stats [data-metric=scroll_depth]")).ToHaveCountAsync(0);
        await page.ClickAsync("[data-panel=pages] button.details");
        var dialog = page.Locator("dialog#details");
        await Assertions.Expect(dialog.Locator("thead")).ToContainTextAsync("Time on page");
        var pricing = dialog.Locator("tbody tr", new() { HasText = "/pricing" });
        await Assertions.Expect(pricing).ToContainTextAsync("30 s");
        await Assertions.Expect(pricing).ToContainTextAsync("70%");
        await Assertions.Expect(dialog.Locator("tbody tr")).ToHaveCountAsync(2);
        // Both pages are shown: there is no more to load.
        await Assertions.Expect(dialog.Locator("[role=status]")).ToHaveTextAsync("2 of 2");
        await Assertions.Expect(dialog.GetByRole(AriaRole.Button, new() { Name = "Load more" })).ToBeHiddenAsync();
        await page.FillAsync("#details-search", "PRI");
        await Assertions.Expect(dialog.Locator("tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(dialog.Locator("[role=status]")).ToHaveTextAsync("1 of 1");

        await pricing.Locator("button.row-filter").ClickAsync();
        await Assertions.Expect(dialog).ToHaveCountAsync(0);
        await Assertions.Expect(TopStat(page, "visitors")).ToHaveTextAsync("2");
        Assert.Contains("f=event%3Apage%7Cis%7C%2Fpricing", page.Url);
        await Assertions.Expect(TopStat(page, "scroll_depth")).ToHaveTextAsync("70%");
        await Assertions.Expect(TopStat(page, "time_on_page")).ToHaveTextAsync("30 s");

        // A visit report's details give its visits, bounce rate and duration.
        await page.ClickAsync("[data-panel=sources] button.details");
        await Assertions.Expect(page.Locator("dialog#details thead")).ToContainTextAsync("Bounce rate");
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(page.Locator("dialog#details")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Dashboard_ClickToFilterCompareAndFunnel_NumbersFollowAndTheLinkReproducesTheView()
    {
        await SeedAsync();
        var views = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Panorama.Core.Goals.SavedViews>(panorama.Services);
        views.Save(siteId, Panorama.Core.Goals.SavedViewKind.Funnel, "Pricing to signup", "/pricing\nSignup");
        views.Save(siteId, Panorama.Core.Goals.SavedViewKind.Segment, "From Bing", "visit:source|is|Bing");
        await panorama.CreateUserAsync("viewer@shop.test", false, (siteId, SiteRole.Viewer));
        await using var context = await chromium.NewContextAsync();
        var page = await SignInAsync(context, "viewer@shop.test");
        await page.GotoAsync(Url($"/sites/{Domain}?period=7d"));
        await Assertions.Expect(TopStat(page, "visitors")).ToHaveTextAsync("5");
        await Assertions.Expect(TopStat(page, "pageviews")).ToHaveTextAsync("7");

        await page.ClickAsync("[data-panel=sources] [role=tab][data-dimension='visit:source']");
        await page.ClickAsync("[data-panel=sources] .row-filter:text-is('Google')");
        await page.ArriveAtAsync(new Regex("f=visit%3Asource%7Cis%7CGoogle"));
        await Assertions.Expect(TopStat(page, "visitors")).ToHaveTextAsync("3");
        await Assertions.Expect(page.Locator("#filters .chip")).ToContainTextAsync("Google");
        await Assertions.Expect(page.Locator("[data-panel=pages] table")).ToContainTextAsync("/pricing");

        // Export downloads every report under the same period and filter.
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#export"));
        using (var zip = new System.IO.Compression.ZipArchive(File.OpenRead(await download.PathAsync())))
        {
            using var sources = new StreamReader(zip.GetEntry("sources.csv")!.Open());
            Assert.Equal(["visit:source,visitors,visits,bounce_rate,visit_duration", "Google,3,3,33,60"],
                (await sources.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')));
        }

        var shared = await context.NewPageAsync();
        await shared.GotoAsync(page.Url);
        await Assertions.Expect(TopStat(shared, "visitors")).ToHaveTextAsync("3");

        await page.SelectOptionAsync("#compare", "previous_period");
        await Assertions.Expect(page.Locator("[data-metric=visitors] .stat-previous")).ToContainTextAsync("200%");
        await page.ArriveAtAsync(new Regex("compare=previous_period"));

        // A custom comparison starts as the previous seven days (the same Google visitor ten days ago), then any days.
        var today = DateTime.UtcNow.Date;
        await page.SelectOptionAsync("#compare", "custom");
        await page.ArriveAtAsync(new Regex($"compare_from={today.AddDays(-13):yyyy-MM-dd}&compare_to={today.AddDays(-7):yyyy-MM-dd}"));
        await Assertions.Expect(page.Locator("[data-metric=visitors] .stat-previous")).ToContainTextAsync("200%");
        await page.FillAsync("#compare-from", today.AddDays(-30).ToString("yyyy-MM-dd"));
        await page.FillAsync("#compare-to", today.AddDays(-20).ToString("yyyy-MM-dd"));
        await page.ArriveAtAsync(new Regex($"compare_from={today.AddDays(-30):yyyy-MM-dd}&compare_to={today.AddDays(-20):yyyy-MM-dd}"));
        await Assertions.Expect(page.Locator("[data-metric=visitors] .stat-previous")).ToContainTextAsync("vs 0");
        await page.CheckAsync("#match-weekday");
        await page.ArriveAtAsync(new Regex("match_day_of_week=true"));
        await Assertions.Expect(page.Locator("[data-metric=visitors] .stat-previous")).ToContainTextAsync("vs 0");
        await page.SelectOptionAsync("#compare", "previous_period");
        await Assertions.Expect(page.Locator("#compare-range")).ToBeHiddenAsync();

        await page.FillAsync("#funnel-steps", "/\n/pricing\nSignup");
        await page.ClickAsync("#funnel-form button");
        var steps = page.Locator("#funnel-result li");
        await Assertions.Expect(steps).ToHaveCountAsync(3);
        await Assertions.Expect(steps.Nth(0)).ToContainTextAsync("3 visitors");
        await Assertions.Expect(steps.Nth(1)).ToContainTextAsync("2 visitors");
        await Assertions.Expect(steps.Nth(2)).ToContainTextAsync("1 visitors");
        Assert.Contains("step=Signup", page.Url);

        // A funnel saved in the site's settings: chosen, its steps run under the same filters.
        await page.SelectOptionAsync("#funnel-saved", "Pricing to signup");
        await Assertions.Expect(steps).ToHaveCountAsync(2);
        await Assertions.Expect(steps.Nth(0)).ToContainTextAsync("2 visitors");
        await Assertions.Expect(steps.Nth(1)).ToContainTextAsync("1 visitors");
        await Assertions.Expect(page.Locator("#funnel-steps")).ToHaveValueAsync("/pricing\nSignup");
        Assert.DoesNotContain("step=%2F&", page.Url);

        // A saved segment replaces the filters: Bing's two visitors.
        await page.SelectOptionAsync("#segment", "From Bing");
        await Assertions.Expect(TopStat(page, "visitors")).ToHaveTextAsync("2");
        await Assertions.Expect(page.Locator("#filters .chip")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#filters .chip")).ToContainTextAsync("Bing");
    }

    [Fact]
    public async Task Dashboard_ArrowsAndKeys_MoveThroughPeriods()
    {
        await SeedAsync();
        await panorama.CreateUserAsync("viewer@shop.test", false, (siteId, SiteRole.Viewer));
        await using var context = await chromium.NewContextAsync();
        var page = await SignInAsync(context, "viewer@shop.test");
        var today = DateTime.UtcNow.Date;
        await page.GotoAsync(Url($"/sites/{Domain}?period=day"));
        await Assertions.Expect(TopStat(page, "visitors")).ToHaveTextAsync("0");
        await Assertions.Expect(page.Locator("#period-forward")).ToBeDisabledAsync();

        // ← shows yesterday (the five visitors), → today again, where the forward arrow stops.
        await page.Keyboard.PressAsync("ArrowLeft");
        await page.ArriveAtAsync(new Regex($"period=custom&from={today.AddDays(-1):yyyy-MM-dd}&to={today.AddDays(-1):yyyy-MM-dd}"));
        await Assertions.Expect(TopStat(page, "visitors")).ToHaveTextAsync("5");
        await page.ClickAsync("#period-forward");
        await page.ArriveAtAsync(new Regex($"from={today:yyyy-MM-dd}&to={today:yyyy-MM-dd}"));
        await Assertions.Expect(TopStat(page, "visitors")).ToHaveTextAsync("0");
        await Assertions.Expect(page.Locator("#period-forward")).ToBeDisabledAsync();

        // W: the last 7 days; X: compared with the 7 before (one visitor ten days ago).
        await page.Keyboard.PressAsync("w");
        await page.ArriveAtAsync(new Regex("period=7d"));
        await Assertions.Expect(TopStat(page, "visitors")).ToHaveTextAsync("5");
        await page.Keyboard.PressAsync("x");
        await page.ArriveAtAsync(new Regex("compare=previous_period"));
        await Assertions.Expect(page.Locator("[data-metric=visitors] .stat-previous")).ToContainTextAsync("400%");

        // A whole month moves by calendar months.
        await page.Keyboard.PressAsync("m");
        await page.ArriveAtAsync(new Regex("period=month"));
        await Assertions.Expect(page.Locator("#period-back")).ToBeEnabledAsync();
        await page.ClickAsync("#period-back");
        var lastMonth = new DateTime(today.Year, today.Month, 1).AddMonths(-1);
        await page.ArriveAtAsync(new Regex($"from={lastMonth:yyyy-MM-dd}&to={lastMonth.AddMonths(1).AddDays(-1):yyyy-MM-dd}"));
        await page.ClickAsync("#period-back");
        await page.ArriveAtAsync(new Regex($"from={lastMonth.AddMonths(-1):yyyy-MM-dd}&to={lastMonth.AddDays(-1):yyyy-MM-dd}"));

        // Keys typed into a field stay there.
        await page.SelectOptionAsync("#period", "realtime");
        await Assertions.Expect(page.Locator("#period-back")).ToBeHiddenAsync();
        // Realtime charts the last 30 minutes minute by minute.
        await Assertions.Expect(page.Locator("#interval")).ToHaveValueAsync("minute");
        await Assertions.Expect(page.Locator("#chart")).ToHaveAttributeAsync("data-points", new Regex("^3[01]$"));
        await page.Locator("#funnel-steps").PressSequentiallyAsync("m");
        await Assertions.Expect(page.Locator("#funnel-steps")).ToHaveValueAsync("m");
        Assert.Contains("period=realtime", page.Url);
    }

    [Fact]
    public async Task SitesOverview_EachSitesTrendAndChange()
    {
        await SeedAsync();
        await panorama.CreateUserAsync("owner@shop.test", owner: true);
        await using var context = await chromium.NewContextAsync();
        var page = await SignInAsync(context, "owner@shop.test");
        await page.GotoAsync(Url("/sites?period=7d"));
        var row = page.Locator("#rollup tbody tr").First;
        await Assertions.Expect(row).ToContainTextAsync("shop.test");
        // Five visitors yesterday against one in the seven days before; the line peaks on yesterday, the sixth of seven days.
        await Assertions.Expect(row.Locator(".change")).ToHaveTextAsync("↑400%");
        var points = (await row.Locator("svg.spark polyline").GetAttributeAsync("points"))!.Split(' ');
        Assert.Equal(7, points.Length);
        Assert.Equal("100,1.5", points[5]);
        Assert.All(points.Where((_, i) => i != 5), point => Assert.EndsWith(",26.5", point));
    }

    [Fact]
    public async Task Language_SwitchToRussian_PagesAndDashboardInRussian()
    {
        await SeedAsync();
        await panorama.CreateUserAsync("owner@shop.test", owner: true);
        await using var context = await chromium.NewContextAsync();
        var page = await SignInAsync(context, "owner@shop.test");
        await page.GotoAsync(Url($"/sites/{Domain}?period=7d"));
        await Assertions.Expect(TopStat(page, "visitors")).ToHaveTextAsync("5");
        await page.SelectOptionAsync("#language", "ru");
        await page.WaitForLoadStateAsync();
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "ru");
        await Assertions.Expect(page.Locator("[data-metric=visitors] .stat-label")).ToContainTextAsync("Уникальные посетители");
        await Assertions.Expect(page.Locator("[data-panel=sources] h2")).ToHaveTextAsync("Источники");
        await Assertions.Expect(TopStat(page, "visit_duration")).ToContainTextAsync("с");
        Assert.Contains("period=7d", page.Url);

        await page.GotoAsync(Url("/sites"));
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Все сайты");
        await Assertions.Expect(page.Locator("#rollup tbody tr").First).ToContainTextAsync("shop.test");
    }

    [Fact]
    public async Task SharedLink_WithPassword_ShowsTheDashboardButNotTheSettings()
    {
        await SeedAsync();
        await panorama.CreateUserAsync("admin@shop.test", false, (siteId, SiteRole.Admin));
        await using var adminContext = await chromium.NewContextAsync();
        var admin = await SignInAsync(adminContext, "admin@shop.test");
        await admin.GotoAsync(Url($"/sites/{Domain}/settings"));
        await admin.FillAsync("#link-name", "Board");
        await admin.FillAsync("#link-password", "board secret");
        await admin.ClickAsync("form:has(#link-name) button.primary");
        var path = await admin.Locator("#shared-links a").First.TextContentAsync();

        await using var guestContext = await chromium.NewContextAsync();
        var guest = await guestContext.NewPageAsync();
        await guest.GotoAsync(Url(path! + "?period=7d"));
        await Assertions.Expect(guest.Locator("text=protected by a password")).ToBeVisibleAsync();
        await guest.FillAsync("#password", "board secret");
        await guest.ClickAsync("button.primary");
        await Assertions.Expect(TopStat(guest, "visitors")).ToHaveTextAsync("5");
        await Assertions.Expect(guest.Locator("a[href$='/settings']")).ToHaveCountAsync(0);

        var settings = await guest.GotoAsync(Url($"/sites/{Domain}/settings"));
        Assert.Contains("/login", guest.Url);
        Assert.NotNull(settings);
    }

    [Fact]
    public async Task SharedLink_EmbeddedInAnotherSitesPage_ShowsTheDashboard_NotWithAPassword()
    {
        await SeedAsync();
        var links = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<SharedLinks>(panorama.Services);
        var open = links.Create(siteId, "Our stats", null);
        var locked = links.Create(siteId, "Board", "board secret");
        await panorama.CreateUserAsync("admin@shop.test", false, (siteId, SiteRole.Admin));
        await using var adminContext = await chromium.NewContextAsync();
        var admin = await SignInAsync(adminContext, "admin@shop.test");
        await admin.GotoAsync(Url($"/sites/{Domain}/settings"));
        // The embed code is offered for the link without a password only.
        var code = admin.Locator("#shared-links details.embed-code textarea");
        await Assertions.Expect(code).ToHaveCountAsync(1);
        var snippet = await code.InputValueAsync();
        Assert.Contains($"/share/{open.Token}?embed=true", snippet);
        Assert.Contains("/assets/embed-host.js", snippet);

        // The code as given, pasted into another site's page (for the last 7 days).
        await using var news = await ShopSite.StartAsync("news.test", Url("/js/script.js"), embed: snippet.Replace("embed=true", "embed=true&period=7d"));
        await using var readerContext = await chromium.NewContextAsync();
        var reader = await readerContext.NewPageAsync();
        await reader.GotoAsync($"http://news.test:{news.Port}/stats");
        var frame = reader.FrameLocator("iframe[data-panorama-embed]");
        await Assertions.Expect(frame.Locator("[data-metric=visitors] .stat-value")).ToHaveTextAsync("5");
        // The frame is fitted to the dashboard's height, not left at the 1600 px it starts with.
        await Assertions.Expect(reader.Locator("iframe[data-panorama-embed]")).Not.ToHaveAttributeAsync("style", new Regex("height: 1600px"));
        var fitted = await reader.EvaluateAsync<double>("document.querySelector('iframe[data-panorama-embed]').getBoundingClientRect().height");
        Assert.InRange(fitted, 1000, 6000);
        await Assertions.Expect(frame.Locator("header.top")).ToHaveCountAsync(0);
        await Assertions.Expect(frame.Locator("[data-panel=sources] table")).ToContainTextAsync("Organic Search");

        // Dark where the system is; &theme=light keeps an embedded dashboard light.
        var own = await readerContext.NewPageAsync();
        await own.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
        await own.GotoAsync(Url($"/share/{open.Token}?embed=true&period=7d"));
        await Assertions.Expect(TopStat(own, "visitors")).ToHaveTextAsync("5");
        Assert.Equal("rgb(17, 24, 39)", await own.EvaluateAsync<string>("getComputedStyle(document.body).backgroundColor"));
        await own.GotoAsync(Url($"/share/{open.Token}?embed=true&theme=light&period=7d"));
        await Assertions.Expect(TopStat(own, "visitors")).ToHaveTextAsync("5");
        Assert.Equal("rgb(246, 247, 249)", await own.EvaluateAsync<string>("getComputedStyle(document.body).backgroundColor"));

        using var response = await panorama.Http.GetAsync($"/share/{open.Token}?embed=true");
        Assert.Equal("frame-ancestors *", string.Join(",", response.Headers.GetValues("Content-Security-Policy")));
        Assert.False(response.Headers.Contains("X-Frame-Options"));
        using var refused = await panorama.Http.GetAsync($"/share/{locked.Token}?embed=true");
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("cannot be embedded", await refused.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Viewer_OfOneSite_DeniedAnother()
    {
        panorama.AddSite("other.test");
        await panorama.CreateUserAsync("viewer@shop.test", false, (siteId, SiteRole.Viewer));
        await using var context = await chromium.NewContextAsync();
        var page = await SignInAsync(context, "viewer@shop.test");
        await page.ArriveAtAsync(new Regex("/sites$"));
        await Assertions.Expect(page.Locator("#rollup")).ToContainTextAsync(Domain);
        await Assertions.Expect(page.Locator("#rollup")).Not.ToContainTextAsync("other.test");
        var response = await page.GotoAsync(Url("/sites/other.test"));
        Assert.Equal(404, response!.Status);
        var api = await page.EvaluateAsync<int>("""
            async () => (await fetch('/api/v2/query', { method: 'POST', headers: { 'Content-Type': 'application/json' },
                body: JSON.stringify({ site_id: 'other.test', metrics: ['visitors'], date_range: '7d' }) })).status
            """);
        Assert.Equal(404, api);
    }

    [Fact]
    public async Task TwoFactor_TurnedOn_SignInAsksForTheCode()
    {
        await panorama.CreateUserAsync("careful@shop.test", false, (siteId, SiteRole.Viewer));
        await using var context = await chromium.NewContextAsync();
        var page = await SignInAsync(context, "careful@shop.test");
        await page.ArriveAtAsync(new Regex("/sites$"));
        await page.GotoAsync(Url("/account"));
        var secret = await page.InputValueAsync("#authenticator-key");
        await page.FillAsync("#code", Totp.Code(secret, DateTimeOffset.UtcNow));
        await page.ClickAsync("form:has(#code) button.primary");
        await Assertions.Expect(page.Locator("#recovery-codes li")).ToHaveCountAsync(10);
        await page.ClickAsync("text=Sign out");
        await page.ArriveAtAsync(new Regex("/login"));

        await page.FillAsync("#email", "careful@shop.test");
        await page.FillAsync("#password", TestServer.Password);
        await page.ClickAsync("button.primary");
        await page.ArriveAtAsync(new Regex("/login/2fa"));
        await page.FillAsync("#code", "000000");
        await page.ClickAsync("button.primary");
        await Assertions.Expect(page.Locator(".errors")).ToContainTextAsync("not valid");
        await page.FillAsync("#code", Totp.Code(secret, DateTimeOffset.UtcNow.AddSeconds(30)));
        await page.ClickAsync("button.primary");
        await page.ArriveAtAsync(new Regex("/sites$"));
        await Assertions.Expect(page.Locator("#rollup")).ToContainTextAsync(Domain);
    }

    [GeneratedRegex("src=\"([^\"]+)\"")]
    private static partial Regex SnippetSource();
}
