using Panorama.Core.Enrichment;
using Panorama.Core.Ingestion;

namespace Panorama.Cli.Demo;

/// <summary>
/// Generates a believable shop's traffic: a daily and weekly rhythm, search, social, paid and AI sources
/// (Russian-speaking web included), browsing paths, carts, sign-ups and purchases with revenue.
/// Deterministic for a seed. Every hit goes through the real enrichment, like a tracked one.
/// </summary>
public sealed class DemoTraffic(GeoLocator geo, int seed = 42)
{
    readonly Random random = new(seed);

    /// <summary>From this moment visitors from Russia check out more often (the demo's free-delivery decision), others as before.</summary>
    public DateTime? FreeDeliveryFrom { get; init; }

    static readonly (string UserAgent, int Width, int Weight)[] Agents =
    [
        ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36", 1920, 26),
        ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 YaBrowser/25.8.0.0 Safari/537.36", 1536, 10),
        ("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:144.0) Gecko/20100101 Firefox/144.0", 1366, 6),
        ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36 Edg/141.0.0.0", 1920, 5),
        ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.6 Safari/605.1.15", 1440, 7),
        ("Mozilla/5.0 (iPhone; CPU iPhone OS 18_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.6 Mobile/15E148 Safari/604.1", 390, 18),
        ("Mozilla/5.0 (Linux; Android 14; SM-A546B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Mobile Safari/537.36", 412, 20),
        ("Mozilla/5.0 (Linux; Android 13; M2101K6G) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 YaBrowser/25.6.1.0 Mobile Safari/537.36", 393, 5),
        ("Mozilla/5.0 (iPad; CPU OS 18_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Mobile/15E148 Safari/604.1", 820, 3),
        ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36", 1920, 2),
    ];

    // Landing URL query and referrer per source, with weights.
    static readonly (string Query, string? Referrer, int Weight)[] Sources =
    [
        ("", null, 28),
        ("", "https://www.google.com/", 16),
        ("", "https://yandex.ru/search/?text=shoes", 14),
        ("?utm_source=yandex&utm_medium=cpc&utm_campaign=autumn_sale&yclid=7312", "https://yandex.ru/", 8),
        ("?gclid=Cj0KCQ&utm_source=google&utm_medium=cpc&utm_campaign=brand", "https://www.google.com/", 5),
        ("", "https://vk.com/", 5),
        ("", "https://t.me/", 4),
        ("", "https://dzen.ru/a/xyz", 3),
        ("?utm_source=newsletter&utm_medium=email&utm_campaign=november", null, 5),
        ("?utm_source=vk&utm_medium=paid_social&utm_campaign=retargeting", "https://vk.com/", 3),
        ("", "https://chatgpt.com/", 2),
        ("", "https://habr.com/ru/articles/812345/", 3),
        ("", "https://duckduckgo.com/", 2),
        ("", "https://www.bing.com/", 2),
    ];

    static readonly string[] Landings = ["/", "/", "/", "/catalog", "/catalog/shoes", "/catalog/bags", "/blog/how-to-choose-running-shoes", "/blog/autumn-trends", "/pricing", "/product/1042"];
    static readonly string[] Browsing = ["/catalog", "/catalog/shoes", "/catalog/bags", "/catalog/jackets", "/product/1042", "/product/2210", "/product/3307", "/about", "/delivery", "/blog/autumn-trends"];

    static readonly (string Country, int Weight)[] Countries = [("RU", 55), ("KZ", 8), ("BY", 6), ("DE", 6), ("US", 8), ("UZ", 4), ("AM", 3), ("GB", 3), ("NL", 2), ("FR", 2), ("TR", 3)];
    readonly Dictionary<string, List<string>> addressesByCountry = new();

    public const string Domain = "demo.panorama.example";

    /// <summary>Hits for each day from <paramref name="firstDay"/> up to <paramref name="until"/>.</summary>
    public IEnumerable<(IncomingEvent Event, RequestContext Request)> Generate(DateTime firstDay, DateTime until, int visitorsPerDay)
    {
        for (var day = firstDay.Date; day < until; day = day.AddDays(1))
        {
            var weekend = day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
            var visitors = (int)(visitorsPerDay * (weekend ? 0.7 : 1.0) * (0.85 + random.NextDouble() * 0.3));
            for (var v = 0; v < visitors; v++)
            {
                var start = day.AddHours(Hour()).AddSeconds(random.Next(3600));
                if (start >= until) continue;
                foreach (var hit in Visit(start, until)) yield return hit;
            }
        }
    }

    double Hour()
    {
        // Most traffic between 9:00 and 23:00 Moscow time (UTC+3), peaking in the evening.
        while (true)
        {
            var hour = random.Next(24);
            var local = (hour + 3) % 24;
            var weight = local < 7 ? 0.15 : local < 10 ? 0.6 : local < 18 ? 0.9 : 1.0;
            if (random.NextDouble() < weight) return hour;
        }
    }

    IEnumerable<(IncomingEvent, RequestContext)> Visit(DateTime start, DateTime until)
    {
        var agent = Pick(Agents, a => a.Weight);
        var source = Pick(Sources, s => s.Weight);
        var country = Pick(Countries, c => c.Weight).Country;
        var ip = Address(country);
        var time = start;
        var path = Landings[random.Next(Landings.Length)];
        var pages = random.NextDouble() < 0.42 ? 1 : 2 + random.Next(6);
        var referrer = source.Referrer;
        var query = source.Query;
        for (var page = 0; page < pages && time < until; page++)
        {
            var context = new RequestContext(ip, agent.UserAgent, new DateTimeOffset(time, TimeSpan.Zero));
            yield return (Hit("pageview", path + query, referrer, agent.Width), context);
            var dwell = TimeSpan.FromSeconds(8 + random.Next(170));
            if (time + dwell < until)
            {
                var engagement = Hit("engagement", path + query, referrer, agent.Width, scrollDepth: 20 + random.Next(81), engagementMs: (int)dwell.TotalMilliseconds);
                yield return (engagement, context with { Timestamp = context.Timestamp + dwell });
            }
            if (path.StartsWith("/product/", StringComparison.Ordinal) && random.NextDouble() < 0.3 && time.AddSeconds(5) < until)
            {
                yield return (Hit("Add to cart", path, referrer, agent.Width, props: [new("product", path[9..])]), context with { Timestamp = context.Timestamp.AddSeconds(5) });
                var checkout = country == "RU" && time >= FreeDeliveryFrom ? 0.65 : 0.45;
                if (random.NextDouble() < checkout && time.AddSeconds(90) < until)
                {
                    var amount = 1490m + random.Next(40) * 250m;
                    yield return (Hit("pageview", "/checkout", path, agent.Width), context with { Timestamp = context.Timestamp.AddSeconds(30) });
                    yield return (Hit("Purchase", "/checkout", path, agent.Width, revenue: amount), context with { Timestamp = context.Timestamp.AddSeconds(90) });
                    yield break;
                }
            }
            if (path == "/pricing" && random.NextDouble() < 0.15 && time.AddSeconds(20) < until)
                yield return (Hit("Signup", path, referrer, agent.Width, props: [new("plan", random.NextDouble() < 0.3 ? "pro" : "basic")]), context with { Timestamp = context.Timestamp.AddSeconds(20) });
            referrer = "https://" + Domain + path;
            query = "";
            time += dwell + TimeSpan.FromSeconds(random.Next(3));
            path = Browsing[random.Next(Browsing.Length)];
        }
    }

    static IncomingEvent Hit(string name, string pathAndQuery, string? referrer, int width, int? scrollDepth = null, int? engagementMs = null,
        KeyValuePair<string, string>[]? props = null, decimal? revenue = null) => new()
    {
        Domains = [Domain],
        Name = name,
        Url = new Uri("https://" + Domain + pathAndQuery),
        Referrer = referrer is null ? null : new Uri(referrer),
        ScreenWidth = width,
        ScrollDepth = scrollDepth,
        EngagementMilliseconds = engagementMs,
        Props = props ?? [],
        RevenueAmount = revenue,
        RevenueCurrency = revenue is null ? "" : "RUB",
    };

    /// <summary>A public address that the country database places in the country; rejection-sampled once per country.</summary>
    string Address(string country)
    {
        if (!addressesByCountry.TryGetValue(country, out var pool))
        {
            pool = [];
            for (var tries = 0; tries < 200_000 && pool.Count < 400; tries++)
            {
                var candidate = $"{random.Next(1, 224)}.{random.Next(256)}.{random.Next(256)}.{random.Next(1, 255)}";
                if (geo.Locate(candidate).Country == country) pool.Add(candidate);
            }
            if (pool.Count == 0) pool.Add($"203.0.113.{random.Next(1, 255)}");
            addressesByCountry[country] = pool;
        }
        return pool[random.Next(pool.Count)];
    }

    T Pick<T>(IReadOnlyList<T> items, Func<T, int> weight)
    {
        var total = items.Sum(weight);
        var roll = random.Next(total);
        foreach (var item in items)
        {
            roll -= weight(item);
            if (roll < 0) return item;
        }
        return items[^1];
    }
}
