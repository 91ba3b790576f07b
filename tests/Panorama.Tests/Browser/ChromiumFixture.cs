using Microsoft.Playwright;

namespace Panorama.Tests.Browser;

/// <summary>
/// Debian's Chromium driven by Playwright, started once for all browser tests. Test host names resolve to
/// loopback inside the browser, so pages run on real-looking domains (the tracker ignores localhost).
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    public const string ChromeUserAgent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36";
    IPlaywright playwright = null!;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        const string chromium = "/usr/bin/chromium";
        if (!File.Exists(chromium)) throw new InvalidOperationException("Browser tests need Debian's chromium (apt-get install chromium); .ci/run installs it.");
        playwright = await Playwright.CreateAsync();
        // CI runs these beside the other suites on two cores; a page that renders after 5 s is slow, not wrong.
        Assertions.SetDefaultExpectTimeout(15_000);
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--host-resolver-rules=MAP *.test 127.0.0.1",
                // Set for the whole browser: beacons sent while a page unloads ignore a per-context override,
                // and headless Chromium's own User-Agent is (rightly) dropped as a bot.
                $"--user-agent={ChromeUserAgent}",
            ],
        });
    }

    /// <summary>A fresh context with an ordinary desktop Chrome User-Agent (headless Chromium's own is dropped as a bot).</summary>
    public Task<IBrowserContext> NewContextAsync() =>
        Browser.NewContextAsync(new BrowserNewContextOptions { UserAgent = ChromeUserAgent, ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        playwright.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class ChromiumCollection : ICollectionFixture<ChromiumFixture>
{
    public const string Name = "chromium";
}
