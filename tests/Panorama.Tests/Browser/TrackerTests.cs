using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DuckDB.NET.Data;
using Microsoft.Extensions.DependencyInjection;
using Panorama.Core.Goals;
using Panorama.Core.Sites;
using Panorama.Tests.Support;

namespace Panorama.Tests.Browser;

/// <summary>The tracker running in real Chromium against a real Panorama server.</summary>
[Collection(ChromiumCollection.Name)]
public sealed class TrackerTests(ChromiumFixture chromium) : IAsyncLifetime
{
    const string Domain = "shop.test";
    TestServer panorama = null!;
    ShopSite shop = null!;
    string key = "";

    public async Task InitializeAsync()
    {
        panorama = await TestServer.StartAsync();
        key = panorama.CreateKey(panorama.AddSite(Domain).Id);
        var port = new Uri(panorama.BaseUrl).Port;
        shop = await ShopSite.StartAsync(Domain, $"http://panorama.test:{port}/js/script.js");
    }

    string ShopUrl(string path) => $"http://{Domain}:{shop.Port}{path}";

    [Fact]
    public async Task Tracker_BrowsingSession_PageviewsSpaCustomOutboundDownloadAndEngagementArrive()
    {
        panorama.Services.GetRequiredService<GoalService>().Add(panorama.Services.GetRequiredService<SiteDirectory>().FindByDomain(Domain)!.Id, "/", null, null, scrollThreshold: 10);
        await using var context = await chromium.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(ShopUrl("/"));
        await page.Mouse.WheelAsync(0, 1500);
        await page.ClickAsync("#outbound");
        await page.ClickAsync("#download");
        await page.EvaluateAsync("() => new Promise(done => panorama('Signup', { props: { plan: 'pro' }, revenue: { amount: 49.9, currency: 'EUR' }, callback: done }))");
        await page.WaitForTimeoutAsync(300);
        await page.ClickAsync("#about");
        await page.ArriveAtAsync(new Regex(Regex.Escape(ShopUrl("/about")) + "$"));
        // The tracker has run (and sent the pageview) once it defines panorama(); SPA navigation is tracked from then on.
        await page.WaitForFunctionAsync("() => typeof window.panorama === 'function'");
        await page.ClickAsync("#spa");
        await page.WaitForTimeoutAsync(300);
        await page.CloseAsync(new() { RunBeforeUnload = true });

        var names = await WaitForEventNames(expected: 6);
        Assert.Equal(3, names["pageview"]);
        Assert.Equal(1, names["Signup"]);
        Assert.Equal(1, names["Outbound Link: Click"]);
        Assert.Equal(1, names["File Download"]);

        var pages = (await panorama.GetJsonAsync($"/api/v1/stats/breakdown?site_id={Domain}&period=7d&property=event:page", key))["results"]!.AsArray();
        Assert.Equal(["/", "/about", "/app/step-2"], pages.Select(p => (string)p!["page"]!).Order(StringComparer.Ordinal));

        var summary = (await panorama.GetJsonAsync($"/api/v1/stats/summary?site_id={Domain}&period=7d", key))["results"]!;
        Assert.Equal(1, (int)summary["visitors"]!);
        Assert.Equal(1, (int)summary["visits"]!);

        var stored = ReadEvents();
        var signup = stored.Single(e => e.Name == "Signup");
        Assert.Equal(("plan", "pro", 49.9m, "EUR"), (signup.PropKey, signup.PropValue, signup.Revenue, signup.Currency));
        Assert.Equal("https://example.org/partner", stored.Single(e => e.Name == "Outbound Link: Click").PropValue);
        Assert.True(stored.Any(e => e.Name == "engagement" && e.Path == "/" && e.ScrollDepth > 0 && e.EngagementMs > 0), string.Join("\n", stored));
        Assert.All(stored.Where(e => e.Name == "pageview"), e => Assert.Equal("Laptop", e.Screen));

        // The scroll reached the scroll depth goal on "/", through the engagement event sent on leaving the page.
        var goals = (await panorama.GetJsonAsync($"/api/v1/stats/breakdown?site_id={Domain}&period=7d&property=event:goal", key))["results"]!.AsArray();
        Assert.Contains(goals, g => (string)g!["goal"]! == "Scroll 10% on /" && (int)g["visitors"]! == 1);
    }

    [Fact]
    public async Task Tracker_PageHiddenTwice_EachEngagementCarriesOnlyItsOwnTime()
    {
        await using var context = await chromium.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(ShopUrl("/"));
        await page.WaitForFunctionAsync("() => typeof window.panorama === 'function'");
        // Switches to another tab and back, as the browser reports it: the page is hidden, then visible again.
        const string Visibility = """
            state => { Object.defineProperty(document, 'visibilityState', { value: state, configurable: true });
                       document.dispatchEvent(new Event('visibilitychange')); }
            """;
        await page.WaitForTimeoutAsync(700);
        await page.EvaluateAsync(Visibility, "hidden");
        await page.EvaluateAsync(Visibility, "visible");
        await page.WaitForTimeoutAsync(400);
        await page.EvaluateAsync(Visibility, "hidden");
        // The page was shown from its navigation on, hidden for no time in between.
        var visible = await page.EvaluateAsync<double>("() => Date.now() - performance.timeOrigin");

        await WaitForEventNames(expected: 3);
        var engaged = ReadEvents().Where(e => e.Name == "engagement").Select(e => e.EngagementMs ?? 0).ToList();
        Assert.Equal(2, engaged.Count);
        // Reported as parts that add up to the time shown (~800 + 400 ms), not as running totals (~800 + 1,200).
        Assert.True(engaged.Sum() <= visible + 50, $"engagement {string.Join(" + ", engaged)} ms in {visible} ms shown");
        Assert.All(engaged, ms => Assert.InRange(ms, 300, 2000));
    }

    [Fact]
    public async Task Tracker_NotFoundHelper_SendsPath()
    {
        await using var context = await chromium.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(ShopUrl("/missing"));
        var names = await WaitForEventNames(expected: 2);
        Assert.Equal(1, names["404"]);
        Assert.Contains(ReadEvents(), e => e.Name == "404" && e.PropValue == "/missing");
    }

    [Fact]
    public async Task Tracker_OptOutFlag_SendsNothing()
    {
        await using var context = await chromium.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(ShopUrl("/about"));
        // The first pageview must have arrived before opting out: a reload would cancel it while in flight.
        Assert.Equal(1, (await WaitForEventNames(expected: 1)).GetValueOrDefault("pageview"));
        await page.EvaluateAsync("() => localStorage.setItem('panorama_ignore', 'true')");
        await page.ReloadAsync();
        await page.ClickAsync("#spa");
        await page.WaitForTimeoutAsync(500);
        // Only the first visit, before opting out, was counted.
        var names = await WaitForEventNames(expected: 1);
        Assert.Equal(1, names["pageview"]);
        await page.WaitForTimeoutAsync(500);
        Assert.Equal(1, (await EventNames())["pageview"]);
    }

    [Fact]
    public async Task Tracker_OnLocalhost_SendsNothing()
    {
        await using var context = await chromium.NewContextAsync();
        var page = await context.NewPageAsync();
        var requests = 0;
        page.Request += (_, request) => { if (request.Url.Contains("/api/event")) requests++; };
        await page.GotoAsync($"http://localhost:{shop.Port}/");
        await page.WaitForTimeoutAsync(800);
        Assert.Equal(0, requests);
    }

    async Task<Dictionary<string, int>> EventNames()
    {
        var rows = (await panorama.GetJsonAsync($"/api/v1/stats/breakdown?site_id={Domain}&period=7d&property=event:name", key))["results"]!.AsArray();
        return rows.ToDictionary(r => (string)r!["name"]!, r => (int)r!["events"]!);
    }

    async Task<Dictionary<string, int>> WaitForEventNames(int expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var names = await EventNames();
            if (names.Values.Sum() >= expected || DateTime.UtcNow > deadline) return names;
            await Task.Delay(100);
        }
    }

    sealed record StoredEvent(string Name, string Path, string PropKey, string PropValue, decimal? Revenue, string Currency, int? ScrollDepth, int? EngagementMs, string Screen);

    /// <summary>Reads the rows as stored, through a second connection to the server's own DuckDB database.</summary>
    List<StoredEvent> ReadEvents()
    {
        using var connection = new DuckDBConnection($"Data Source={Path.Combine(panorama.DataDirectory, "events.duckdb")}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name, pathname, coalesce(prop_keys[1], ''), coalesce(prop_values[1], ''), revenue_amount, coalesce(revenue_currency, ''), scroll_depth, engagement_ms, coalesce(screen, '') FROM events";
        using var reader = command.ExecuteReader();
        var rows = new List<StoredEvent>();
        while (reader.Read())
        {
            rows.Add(new StoredEvent(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetDecimal(4), reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetInt16(6), reader.IsDBNull(7) ? null : reader.GetInt32(7), reader.GetString(8)));
        }
        return rows;
    }

    public async Task DisposeAsync()
    {
        await shop.DisposeAsync();
        await panorama.DisposeAsync();
    }
}
