using System.Diagnostics;
using System.Text.Json;
using Panorama.Core.Goals;
using Panorama.Core.Ingestion;
using Panorama.Core.Reports.Query;
using Panorama.Core.Sites;
using Panorama.Storage.DuckDb;

namespace Panorama.Bench;

/// <summary>
/// Dashboard queries on a large store: fills it with synthetic events (10 M over 90 days by default, one site
/// holding half), then times each standard query through the query service, beside the store's own SQL for the
/// same query run directly on DuckDB (the floor), in the same process and run.
/// </summary>
static class QueryRun
{
    static readonly string[] Pages = ["/", "/pricing", "/blog/a", "/blog/b", "/blog/c", "/catalog", "/catalog/shoes", "/catalog/bags", "/product/1", "/product/2", "/checkout", "/about"];
    static readonly (string Source, string Channel)[] Sources = [("Direct / None", "Direct"), ("Google", "Organic Search"), ("Yandex", "Organic Search"), ("VK", "Organic Social"), ("Telegram", "Organic Social"), ("newsletter", "Email"), ("Yandex", "Paid Search"), ("ChatGPT", "AI Assistants")];
    static readonly string[] Countries = ["RU", "RU", "RU", "KZ", "BY", "US", "DE", "UZ"];
    static readonly (string Browser, string Os, string Device)[] Agents = [("Chrome", "Windows", "Desktop"), ("Mobile Safari", "iOS", "Mobile"), ("Chrome Mobile", "Android", "Mobile"), ("Yandex Browser", "Windows", "Desktop"), ("Safari", "Mac OS X", "Desktop"), ("Firefox", "Ubuntu", "Desktop")];

    public static async Task<int> RunAsync(string[] args)
    {
        var events = BenchArgs.Option(args, "--events", 10_000_000);
        var runs = BenchArgs.Option(args, "--runs", 7);
        // A subset, e.g. --only "pages,sources" --days 30, for looking at one query.
        var only = args.SkipWhile(a => a != "--only").Skip(1).FirstOrDefault()?.Split(',');
        var periods = (args.SkipWhile(a => a != "--days").Skip(1).FirstOrDefault() ?? "30,90").Split(',').Select(int.Parse).ToArray();
        var folder = args.SkipWhile(a => a != "--data").Skip(1).FirstOrDefault() ?? Path.Combine(Path.GetTempPath(), $"panorama-bench-{events}");
        Directory.CreateDirectory(folder);
        var now = new DateTime(2026, 11, 26, 12, 0, 0, DateTimeKind.Utc);
        // --memory-limit 128MB: the reports under a server's smaller DuckDB memory limit (issue 2's RSS).
        var memoryLimit = args.SkipWhile(a => a != "--memory-limit").Skip(1).FirstOrDefault() ?? "1GB";
        // --threads 1: the reports with DuckDB on one thread (Panorama:Events:Threads).
        var threads = BenchArgs.Option(args, "--threads", Environment.ProcessorCount);
        using var store = new DuckDbEventStore(new DuckDbOptions { Path = Path.Combine(folder, "events.duckdb"), MemoryLimit = memoryLimit, Threads = threads });
        // --engagement: the tracker's engagement events too (most pageviews get one), and the queries that read them.
        var engagement = args.Contains("--engagement");
        if (await store.MaxSequenceAsync(CancellationToken.None) < events) await FillAsync(store, events, now, engagement);
        if (args.Contains("--compact"))
        {
            var clock = Stopwatch.StartNew();
            Console.WriteLine($"clustered {store.CompactClosedWeeks(now)} weeks by site in {clock.Elapsed.TotalSeconds:F1} s");
        }

        // As a running server's hourly maintenance leaves the store: days that ended are in the page days.
        var built = Stopwatch.StartNew();
        var pageDays = store.BuildPageDays(now);
        if (pageDays > 0) Console.WriteLine($"page days: {pageDays:N0} rows in {built.Elapsed.TotalSeconds:F1} s");

        var site = Site;
        var goals = Goals;
        var service = new QueryService(store);
        var queries = DashboardQueries;
        Console.WriteLine($"| query | days | p50 ms | p95 ms | floor p50 ms | ratio |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (var days in periods)
        {
            var range = $"[\"{now.AddDays(-days + 1):yyyy-MM-dd}\",\"{now:yyyy-MM-dd}\"]";
            foreach (var (name, body) in queries.Where(q => only is null || only.Contains(q.Name)))
            {
                var json = body.Insert(1, $"\"date_range\":{range},");
                using var document = JsonDocument.Parse(json);
                var query = QueryParser.Parse(document.RootElement, site, goals, now, null);
                var (service_, floor) = await TimeAlternately(runs, () => service.RunAsync(query, CancellationToken.None), () => Floor(store, query));
                Report(name, days, service_, floor);
            }
            foreach (var (name, body) in engagement ? EngagementQueries : [])
            {
                if (only is not null && !only.Contains(name)) continue;
                using var document = JsonDocument.Parse(body.Insert(1, $"\"date_range\":{range},"));
                var query = QueryParser.Parse(document.RootElement, site, EngagementGoals, now, null);
                var (service_, floor) = await TimeAlternately(runs, () => service.RunAsync(query, CancellationToken.None), () => Floor(store, query));
                Report(name, days, service_, floor);
            }
            if (only is not null && !only.Contains("3-step funnel")) continue;
            var funnel = FunnelQuery(days, now);
            var steps = FunnelSteps;
            var (funnelTimes, funnelFloor) = await TimeAlternately(runs,
                async () => FunnelCalculator.Summarize(steps, await store.FunnelReachAsync(funnel, steps, CancellationToken.None)),
                () => store.FunnelReachAsync(funnel, steps, CancellationToken.None));
            Report("3-step funnel", days, funnelTimes, funnelFloor);
        }
        return 0;
    }

    internal static readonly Site Site = new() { Id = 1, Domain = "big.example", TimeZone = "UTC" };

    internal static readonly FunnelStep[] FunnelSteps =
        [new("Visit /catalog", PagePath: "/catalog"), new("Visit /product/*", PagePath: "/product/*"), new("Purchase", EventName: "Purchase")];

    internal static StoreQuery FunnelQuery(int days, DateTime now) => new()
    {
        SiteId = 1, TimeZone = TimeZoneInfo.Utc, Metrics = [Metric.Visitors], Goals = Goals,
        Range = Panorama.Core.Reports.DateRange.ForDays(DateOnly.FromDateTime(now.AddDays(-days + 1)), DateOnly.FromDateTime(now), TimeZoneInfo.Utc),
    };

    internal static readonly Goal[] Goals =
    [
        new() { Id = 1, SiteId = 1, EventName = "Signup" },
        new() { Id = 2, SiteId = 1, EventName = "Purchase", Currency = "RUB" },
        new() { Id = 3, SiteId = 1, PagePath = "/blog/**" },
    ];

    /// <summary>The dashboard's standard queries, without their date range.</summary>
    internal static readonly (string Name, string Body)[] DashboardQueries =
    [
        ("top stats + comparison", """{"metrics":["visitors","visits","pageviews","views_per_visit","bounce_rate","visit_duration"],"include":{"comparisons":{"mode":"previous_period"}}}"""),
        ("time series by day", """{"metrics":["visitors","pageviews"],"dimensions":["time:day"]}"""),
        ("pages", """{"metrics":["visitors","pageviews"],"dimensions":["event:page"],"pagination":{"limit":10}}"""),
        ("entry pages", """{"metrics":["visitors","visits","bounce_rate"],"dimensions":["visit:entry_page"],"pagination":{"limit":10}}"""),
        ("exit pages", """{"metrics":["visitors","visits"],"dimensions":["visit:exit_page"],"pagination":{"limit":10}}"""),
        ("sources", """{"metrics":["visitors","bounce_rate"],"dimensions":["visit:source"],"pagination":{"limit":10}}"""),
        ("channels", """{"metrics":["visitors","bounce_rate"],"dimensions":["visit:channel"]}"""),
        ("utm campaigns", """{"metrics":["visitors"],"dimensions":["visit:utm_campaign"],"pagination":{"limit":10}}"""),
        ("countries", """{"metrics":["visitors","percentage"],"dimensions":["visit:country"],"pagination":{"limit":10}}"""),
        ("devices", """{"metrics":["visitors"],"dimensions":["visit:device"]}"""),
        ("browsers", """{"metrics":["visitors"],"dimensions":["visit:browser"],"pagination":{"limit":10}}"""),
        ("operating systems", """{"metrics":["visitors"],"dimensions":["visit:os"],"pagination":{"limit":10}}"""),
        ("goals", """{"metrics":["visitors","events","conversion_rate"],"dimensions":["event:goal"]}"""),
        // The same dashboard after a click on a source or a page: every panel filtered.
        ("filtered top stats", """{"metrics":["visitors","visits","pageviews","bounce_rate","visit_duration"],"filters":[["is","visit:source",["Google"]]]}"""),
        ("filtered pages", """{"metrics":["visitors","pageviews"],"dimensions":["event:page"],"filters":[["is","visit:source",["Google"]]],"pagination":{"limit":10}}"""),
        ("filtered sources", """{"metrics":["visitors","bounce_rate"],"dimensions":["visit:source"],"filters":[["is","event:page",["/pricing"]]],"pagination":{"limit":10}}"""),
        ("filtered countries", """{"metrics":["visitors"],"dimensions":["visit:country"],"filters":[["is","event:page",["/pricing"]]],"pagination":{"limit":10}}"""),
    ];

    internal static readonly Goal[] EngagementGoals = [.. Goals, new() { Id = 4, SiteId = 1, PagePath = "/blog/**", ScrollThreshold = 75 }];

    /// <summary>
    /// With <c>--engagement</c>: a scroll depth goal beside the page goal on the same pages (its engagement events join their
    /// visits), and page engagement without and with a filter (the filtered one joins them too). Their floor leaves the
    /// engagement figures out; compare the service's times with each other.
    /// </summary>
    internal static readonly (string Name, string Body)[] EngagementQueries =
    [
        ("page goal by source", """{"metrics":["visitors"],"dimensions":["visit:source"],"filters":[["is","event:goal",["Visit /blog/**"]]],"pagination":{"limit":10}}"""),
        ("scroll goal by source", """{"metrics":["visitors"],"dimensions":["visit:source"],"filters":[["is","event:goal",["Scroll 75% on /blog/**"]]],"pagination":{"limit":10}}"""),
        ("goals with a scroll goal", """{"metrics":["visitors","events","conversion_rate"],"dimensions":["event:goal"]}"""),
        ("page engagement", """{"metrics":["visitors","time_on_page","scroll_depth"],"dimensions":["event:page"],"pagination":{"limit":10}}"""),
        ("filtered page engagement", """{"metrics":["visitors","time_on_page","scroll_depth"],"dimensions":["event:page"],"filters":[["is","visit:source",["Google"]]],"pagination":{"limit":10}}"""),
        // The top stats after a click on a page, with and without the page's engagement (session 23).
        ("top stats on a page", """{"metrics":["visitors","visits","pageviews","bounce_rate","visit_duration"],"filters":[["is","event:page",["/pricing"]]]}"""),
        ("top stats on a page + engagement", """{"metrics":["visitors","visits","pageviews","bounce_rate","visit_duration","scroll_depth","time_on_page"],"filters":[["is","event:page",["/pricing"]]]}"""),
    ];

    /// <summary>The store's SQL for each store query the service makes (comparison period, totals for percentages and conversion rates), run directly.</summary>
    static async Task<int> Floor(DuckDbEventStore store, StatsQuery query)
    {
        var store_ = new StoreQuery
        {
            SiteId = query.Site.Id, TimeZone = query.TimeZone, Range = query.Range,
            Metrics = query.Metrics.Where(StoreQuery.StoreMetrics.Contains).Append(Metric.Visitors).Distinct().ToList(), Dimensions = query.Dimensions,
            Filter = query.Filter, Goals = query.Goals, OrderBy = null, Limit = query.Dimensions.Count > 0 ? query.Limit : null,
        };
        var result = await store.QueryAsync(store_, CancellationToken.None);
        if (query.ComparisonRange is { } before) await store.QueryAsync(store_ with { Range = before }, CancellationToken.None);
        // The visitors that percentages and conversion rates divide by: a second query of the service's, run the same way.
        var total = store_ with { Metrics = [Metric.Visitors], Dimensions = [], Limit = null };
        if (query.Metrics.Contains(Metric.Percentage)) await store.QueryAsync(total, CancellationToken.None);
        if (query.Metrics.Contains(Metric.ConversionRate)) await store.QueryAsync(total with { Filter = QueryParser.WithoutGoals(query.Filter) }, CancellationToken.None);
        return result.Rows.Count;
    }

    internal static void Report(string name, int days, List<double> times, List<double> floor)
    {
        times.Sort();
        floor.Sort();
        Console.WriteLine($"| {name} | {days} | {P(times, 0.5):F0} | {P(times, 0.95):F0} | {P(floor, 0.5):F0} | {P(times, 0.5) / P(floor, 0.5):F2} |");
    }

    /// <summary>The <paramref name="q"/> quantile of sorted timings.</summary>
    internal static double P(List<double> sorted, double q) => sorted[(int)Math.Min(sorted.Count - 1, Math.Ceiling(q * sorted.Count) - 1)];

    /// <summary>Times two actions in turn, run by run, so that a slow moment of the machine falls on both.</summary>
    static async Task<(List<double> First, List<double> Second)> TimeAlternately<T, U>(int runs, Func<Task<T>> first, Func<Task<U>> second)
    {
        await first();
        await second();
        var (a, b) = (new List<double>(), new List<double>());
        for (var i = 0; i < runs; i++)
        {
            var clock = Stopwatch.StartNew();
            await first();
            a.Add(clock.Elapsed.TotalMilliseconds);
            clock.Restart();
            await second();
            b.Add(clock.Elapsed.TotalMilliseconds);
        }
        return (a, b);
    }

    internal static async Task<List<double>> Time<T>(int runs, Func<Task<T>> action)
    {
        await action();
        var times = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var clock = Stopwatch.StartNew();
            await action();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        return times;
    }

    static async Task FillAsync(DuckDbEventStore store, int total, DateTime now, bool engagement)
    {
        // Its own generator, so the other events are those of a run without engagement.
        var engaged = new Random(11);
        Console.WriteLine($"filling {total:N0} events over 90 days...");
        var random = new Random(7);
        var clock = Stopwatch.StartNew();
        var batch = new List<EnrichedEvent>(50_000);
        long sequence = await store.MaxSequenceAsync(CancellationToken.None);
        var start = now.Date.AddDays(-89);
        var written = 0L;
        var wanted = total - sequence;
        while (written < wanted)
        {
            // Half the events belong to site 1, the rest to nine smaller sites.
            var siteId = random.NextDouble() < 0.5 ? 1 : 2 + random.Next(9);
            var visitor = random.NextInt64(1, long.MaxValue);
            var time = start.AddSeconds(random.NextDouble() * 90 * 86400);
            var source = Sources[random.Next(Sources.Length)];
            var agent = Agents[random.Next(Agents.Length)];
            var country = Countries[random.Next(Countries.Length)];
            var campaign = source.Channel is "Paid Search" or "Email" ? "autumn" : "";
            var pages = random.NextDouble() < 0.4 ? 1 : 2 + random.Next(6);
            for (var p = 0; p < pages; p++)
            {
                var path = Pages[random.Next(Pages.Length)];
                var name = p > 0 && random.NextDouble() < 0.05 ? (random.NextDouble() < 0.5 ? "Signup" : "Purchase") : "pageview";
                batch.Add(new EnrichedEvent
                {
                    Sequence = ++sequence, SiteId = siteId, Timestamp = time, VisitorId = visitor, Name = name, Pathname = path, Hostname = "big.example",
                    Source = source.Source, Channel = source.Channel, UtmCampaign = campaign, Browser = agent.Browser, OperatingSystem = agent.Os,
                    Device = agent.Device, Country = country, Screen = agent.Device == "Mobile" ? "Mobile" : "Desktop",
                    RevenueAmount = name == "Purchase" ? 990 + random.Next(100) * 10 : null, RevenueCurrency = name == "Purchase" ? "RUB" : "",
                    Interactive = name != "pageview",
                });
                if (engagement && name == "pageview" && engaged.NextDouble() < 0.6)
                {
                    batch.Add(new EnrichedEvent
                    {
                        Sequence = ++sequence, SiteId = siteId, Timestamp = time.AddSeconds(3 + engaged.Next(120)), VisitorId = visitor, Name = "engagement",
                        Pathname = path, Hostname = "big.example", Source = source.Source, Channel = source.Channel, UtmCampaign = campaign,
                        Browser = agent.Browser, OperatingSystem = agent.Os, Device = agent.Device, Country = country,
                        Screen = agent.Device == "Mobile" ? "Mobile" : "Desktop", RevenueCurrency = "", ScrollDepth = (short)(10 + engaged.Next(91)),
                        EngagementMilliseconds = 1000 * (3 + engaged.Next(120)),
                    });
                    written++;
                }
                time = time.AddSeconds(5 + random.Next(240));
                written++;
            }
            if (batch.Count >= 50_000)
            {
                await store.AppendAsync(batch, CancellationToken.None);
                batch.Clear();
                if (written % 500_000 < 50_000) await store.RefreshVisitsAsync(CancellationToken.None);
            }
        }
        if (batch.Count > 0) await store.AppendAsync(batch, CancellationToken.None);
        await store.RefreshVisitsAsync(CancellationToken.None);
        Console.WriteLine($"filled in {clock.Elapsed.TotalSeconds:F0} s");
    }
}
