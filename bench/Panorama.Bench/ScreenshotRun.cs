using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Panorama.Bench;

/// <summary>
/// Regenerates docs/screenshots: runs <c>panorama demo</c> exactly as the README does (in a throw-away data folder),
/// signs in with the printed password and photographs the main pages in Debian's Chromium.
/// </summary>
static partial class ScreenshotRun
{
    public static async Task<int> RunAsync(string[] args)
    {
        var output = Path.GetFullPath(args.SkipWhile(a => a != "--out").Skip(1).FirstOrDefault() ?? "docs/screenshots");
        Directory.CreateDirectory(output);
        var data = Path.Combine(Path.GetTempPath(), "panorama-screenshots-" + Guid.NewGuid().ToString("N")[..8]);
        const string url = "http://127.0.0.1:5097";
        await using var demo = await DemoProcess.StartAsync(data, url);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserRun.LaunchAsync(playwright);

        var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 }, DeviceScaleFactor = 1 });
        var page = await context.NewPageAsync();
        await BrowserRun.SignInAsync(page, url, demo.Email, demo.Password);
        async Task Shoot(string path, string file, bool fullPage = true)
        {
            await page.GotoAsync(url + path);
            await BrowserRun.WaitForDashboardAsync(page);
            await page.ScreenshotAsync(new() { Path = Path.Combine(output, file), FullPage = fullPage });
            Console.WriteLine($"{file}  ←  {path}");
        }
        await Shoot("/sites?period=7d", "sites-overview.png");
        await Shoot($"/sites/{demo.Domain}?period=7d", "dashboard.png");
        // The pages report's details, over the dashboard just shot.
        await page.ClickAsync("[data-panel=pages] button.details");
        await page.Locator("dialog#details tbody tr").First.WaitForAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(output, "dashboard-details.png") });
        Console.WriteLine("dashboard-details.png  ←  Details of the pages report");
        await Shoot($"/sites/{demo.Domain}?period=7d&compare=previous_period&f=visit:channel|is|Organic Search&step=/product/*&step=Add to cart&step=Purchase", "dashboard-filtered-compared-funnel.png");
        await Shoot($"/sites/{demo.Domain}/settings", "site-settings.png");
        await Shoot("/department", "department.png");
        await Shoot("/department/health", "department-health.png");
        await Shoot($"/sites/{demo.Domain}/roi?days=7&cutChannel=Paid%20Search&cutAmount=50000", "spend-and-return.png");
        await Shoot("/decisions", "decisions.png");
        await Shoot("/decisions/1", "decision-outcome.png");
        await context.AddCookiesAsync([new Cookie { Name = ".AspNetCore.Culture", Value = "c=ru|uic=ru", Url = url }]);
        await Shoot($"/sites/{demo.Domain}?period=30d", "dashboard-ru.png");
        await page.SetViewportSizeAsync(375, 800);
        await context.ClearCookiesAsync(new() { Name = ".AspNetCore.Culture" });
        await Shoot($"/sites/{demo.Domain}?period=7d", "dashboard-mobile.png");
        await page.SetViewportSizeAsync(1280, 900);
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
        await Shoot($"/sites/{demo.Domain}?period=7d&compare=previous_period", "dashboard-dark.png");
        return 0;
    }
}

/// <summary>The <c>panorama demo</c> process, with the site, owner email and password it prints.</summary>
sealed partial class DemoProcess : IAsyncDisposable
{
    readonly Process process;
    readonly string data;
    public string Domain { get; private set; } = "";
    public string Email { get; private set; } = "";
    public string Password { get; private set; } = "";

    DemoProcess(Process process, string data)
    {
        this.process = process;
        this.data = data;
    }

    public static async Task<DemoProcess> StartAsync(string data, string url)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "panorama.dll");
        var start = new ProcessStartInfo("dotnet", ["exec", cli, "demo", "--data", data, "--urls", url]) { RedirectStandardOutput = true, RedirectStandardError = true };
        var demo = new DemoProcess(Process.Start(start)!, data);
        while (await demo.process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (SignInLine().Match(line) is { Success: true } match)
                (demo.Domain, demo.Email, demo.Password) = (match.Groups[1].Value, match.Groups[2].Value, match.Groups[3].Value);
            if (line.StartsWith("Press Ctrl+C", StringComparison.Ordinal)) return demo;
        }
        throw new InvalidOperationException("panorama demo exited: " + await demo.process.StandardError.ReadToEndAsync());
    }

    public async ValueTask DisposeAsync()
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        process.Dispose();
        try { Directory.Delete(data, recursive: true); } catch (IOException) { }
    }

    [GeneratedRegex(@"/sites/(\S+)\s+\(sign in as (\S+), password (\S+)\)")]
    private static partial Regex SignInLine();
}
