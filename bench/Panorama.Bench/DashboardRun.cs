using Microsoft.Extensions.Logging;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Panorama.Core.Accounts;
using Panorama.Core.Goals;
using Panorama.Core.Sites;
using Panorama.Web;

namespace Panorama.Bench;

/// <summary>
/// Dashboard time to first full render in Chromium: from navigation start until every panel has drawn, on the
/// query benchmark's store (run <c>queries</c> first to fill it). The baseline, measured in the same run, is the same
/// dashboard for a site with no events: what the page costs before any data.
/// </summary>
static class DashboardRun
{
    public static async Task<int> RunAsync(string[] args)
    {
        var events = BenchArgs.Option(args, "--events", 10_000_000);
        var runs = BenchArgs.Option(args, "--runs", 7);
        var folder = args.SkipWhile(a => a != "--data").Skip(1).FirstOrDefault() ?? Path.Combine(Path.GetTempPath(), $"panorama-bench-{events}");
        if (!File.Exists(Path.Combine(folder, "events.duckdb")))
        {
            Console.Error.WriteLine($"No store in {folder}: run 'queries --events {events}' first.");
            return 2;
        }
        const string url = "http://127.0.0.1:5098";
        await using var app = PanoramaServer.Build([$"--urls={url}", $"--Panorama:DataDirectory={folder}"], builder => builder.Logging.SetMinimumLevel(LogLevel.Warning));
        var sites = app.Services.GetRequiredService<SiteDirectory>();
        var big = sites.Add("big.example");
        if (big.Id != 1) throw new InvalidOperationException("The benchmark's events belong to site 1; start from a folder without panorama.db.");
        sites.Add("empty.example");
        var goals = app.Services.GetRequiredService<GoalService>();
        if (goals.ForSite(1).Count == 0)
        {
            goals.Add(1, null, "Signup", null);
            goals.Add(1, null, "Purchase", "RUB");
            goals.Add(1, "/blog/**", null, null);
        }
        const string email = "bench@panorama.example", password = "bench-password-1";
        using (var scope = app.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PanoramaUser>>();
            if (await users.FindByEmailAsync(email) is null)
                await users.CreateAsync(new PanoramaUser { UserName = email, Email = email, IsOwner = true }, password);
        }
        await app.StartAsync();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserRun.LaunchAsync(playwright);
        var page = await (await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } })).NewPageAsync();
        await BrowserRun.SignInAsync(page, url, email, password);

        Console.WriteLine($"| dashboard ({Environment.ProcessorCount} cores) | period | median ms | p95 ms | baseline median ms (empty site) | ratio |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (var period in new[] { "7d", "30d", "91d" })
        {
            var baseline = await TimeAsync(page, $"{url}/sites/empty.example?period={period}", runs);
            var loaded = await TimeAsync(page, $"{url}/sites/big.example?period={period}", runs);
            Console.WriteLine($"| {events:N0} events, site with half | {period} | {Percentile(loaded, 0.5):F0} | {Percentile(loaded, 0.95):F0} | {Percentile(baseline, 0.5):F0} | {Percentile(loaded, 0.5) / Percentile(baseline, 0.5):F1} |");
        }
        if (args.Contains("--explain"))
        {
            foreach (var site in new[] { "empty.example", "big.example" })
            {
            await page.GotoAsync($"{url}/sites/{site}?period=30d");
            await BrowserRun.WaitForDashboardAsync(page);
            var entries = await page.EvaluateAsync<string>("""
                () => [performance.getEntriesByType('navigation')[0], ...performance.getEntriesByType('resource')]
                  .map(e => `${e.startTime.toFixed(0).padStart(6)} +${e.duration.toFixed(0).padStart(5)} ms  ${e.name.replace(location.origin, '')}`).join('\n')
                """);
            Console.WriteLine(site + "\n" + entries);
            }
        }
        await app.StopAsync();
        return 0;
    }

    /// <summary>Milliseconds from navigation start until the dashboard reports every panel drawn; one warm-up load first.</summary>
    static async Task<List<double>> TimeAsync(IPage page, string address, int runs)
    {
        var times = new List<double>();
        for (var i = 0; i <= runs; i++)
        {
            await page.GotoAsync("about:blank");
            await page.GotoAsync(address);
            await BrowserRun.WaitForDashboardAsync(page);
            var elapsed = await page.EvaluateAsync<double>("() => performance.now()");
            if (i > 0) times.Add(elapsed);
        }
        return times;
    }

    static double Percentile(List<double> values, double q)
    {
        var sorted = values.Order().ToList();
        return sorted[(int)Math.Min(sorted.Count - 1, Math.Ceiling(q * sorted.Count) - 1)];
    }
}
