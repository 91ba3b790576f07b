using System.Text.Json;
using System.Text.RegularExpressions;

namespace Panorama.Core.Enrichment;

/// <summary>
/// Recognises bots by the maintained <c>crawler-user-agents</c> pattern list plus headless-browser and
/// tooling markers the list leaves out. Verdicts are cached per User-Agent.
/// </summary>
public sealed class BotDetector
{
    // Automation that does not announce itself as a crawler, and clients that are never a person.
    static readonly Regex Markers = new(
        @"HeadlessChrome|PhantomJS|Lighthouse|Puppeteer|Playwright|Selenium|webdriver|python-requests|python-urllib|aiohttp|curl/|Wget|Go-http-client|okhttp|Java/|libwww|node-fetch|axios/|undici|Scrapy|HttpClient",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled);

    readonly Regex[] patterns;
    readonly BoundedCache<string, bool> cache = new(20_000);

    BotDetector(Regex[] patterns) => this.patterns = patterns;

    public int PatternCount => patterns.Length;

    /// <summary>Loads crawler-user-agents.json; without it only the built-in markers apply.</summary>
    public static BotDetector Load(string path)
    {
        if (!File.Exists(path)) return new BotDetector([]);
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var sources = new List<string>();
        foreach (var entry in document.RootElement.EnumerateArray())
        {
            var pattern = entry.GetProperty("pattern").GetString();
            if (string.IsNullOrEmpty(pattern)) continue;
            try
            {
                _ = new Regex(pattern);
                sources.Add(pattern);
            }
            catch (ArgumentException)
            {
                // Written for JavaScript and not valid in .NET: skipped.
            }
        }
        // A few large alternations scan a User-Agent far faster than 1,500 separate regexes.
        var chunks = sources.Chunk(200)
            .Select(chunk => new Regex(string.Join('|', chunk.Select(p => "(?:" + p + ")")), RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(200)))
            .ToArray();
        return new BotDetector(chunks);
    }

    public bool IsBot(string userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent) || userAgent.Length < 12) return true;
        return cache.GetOrAdd(userAgent, Matches);
    }

    bool Matches(string userAgent)
    {
        if (Markers.IsMatch(userAgent)) return true;
        foreach (var pattern in patterns)
        {
            try
            {
                if (pattern.IsMatch(userAgent)) return true;
            }
            catch (RegexMatchTimeoutException)
            {
                return true;
            }
        }
        return false;
    }
}
