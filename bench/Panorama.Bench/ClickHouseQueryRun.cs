using System.Diagnostics;
using System.Text.Json;
using Panorama.Core.Reports.Query;
using Panorama.Storage.ClickHouse;
using Panorama.Storage.DuckDb;

namespace Panorama.Bench;

/// <summary>
/// The dashboard's queries on ClickHouse against DuckDB in the same run: copies the store filled by <c>queries</c>
/// (10 M events over 90 days) into the ClickHouse servers named, once, then times each query through the query
/// service on both engines.
/// </summary>
static class ClickHouseQueryRun
{
    public static async Task<int> RunAsync(string[] args)
    {
        var shards = args.SkipWhile(a => a != "--clickhouse").Skip(1).FirstOrDefault()?.Split(',')
            ?? throw new ArgumentException("--clickhouse http://host:8123[,http://host2:8123] is required");
        var folder = args.SkipWhile(a => a != "--data").Skip(1).FirstOrDefault() ?? Path.Combine(Path.GetTempPath(), "panorama-bench-10000000");
        var runs = int.Parse(args.SkipWhile(a => a != "--runs").Skip(1).FirstOrDefault() ?? "5", System.Globalization.CultureInfo.InvariantCulture);
        var database = args.SkipWhile(a => a != "--database").Skip(1).FirstOrDefault() ?? "bench";
        // A subset keeps a run short where ClickHouse is slow (e.g. --only "top stats + comparison,sources" --days 30).
        var only = args.SkipWhile(a => a != "--only").Skip(1).FirstOrDefault()?.Split(',');
        var periods = (args.SkipWhile(a => a != "--days").Skip(1).FirstOrDefault() ?? "30,90").Split(',').Select(int.Parse).ToArray();
        var now = new DateTime(2026, 11, 26, 12, 0, 0, DateTimeKind.Utc);
        using var duck = new DuckDbEventStore(new DuckDbOptions { Path = Path.Combine(folder, "events.duckdb") });
        var clickHouse = new ClickHouseEventStore(new ClickHouseOptions { Shards = shards, Database = database, QueryMaxMemoryBytes = 16L << 30 }, new HttpClient { Timeout = TimeSpan.FromMinutes(10) });
        var migration = new EventMigration(clickHouse);
        await clickHouse.MigrateAsync(CancellationToken.None);
        var total = duck.CountAll();
        var clock = Stopwatch.StartNew();
        var copied = await migration.CopyAsync(duck.ReadEventSlices(await migration.ResumeAfterAsync(CancellationToken.None), migration.NewBatch), total, null, CancellationToken.None);
        if (copied > 0) Console.WriteLine($"copied {copied:N0} events to ClickHouse in {clock.Elapsed.TotalSeconds:F0} s ({copied / clock.Elapsed.TotalSeconds:N0} rows/s)");
        // As a running node's VisitBuildWorker does; --unbuilt keeps reports cutting visits at query time, for comparison.
        if (!args.Contains("--unbuilt"))
        {
            clock.Restart();
            var hours = await clickHouse.Visits.BuildAsync(DateTime.UtcNow, null, CancellationToken.None);
            if (hours > 0) Console.WriteLine($"built the visits of {hours:N0} site-hours ({total:N0} events) in {clock.Elapsed.TotalSeconds:F0} s ({total / clock.Elapsed.TotalSeconds:N0} events/s)");
        }

        var engines = new[] { new QueryService(duck), new QueryService(clickHouse) };
        Console.WriteLine($"| query | days | DuckDB p50 ms | ClickHouse ({shards.Length} shard{(shards.Length > 1 ? "s" : "")}) p50 ms | ClickHouse p95 ms | ratio |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (var days in periods)
        {
            var range = $"[\"{now.AddDays(-days + 1):yyyy-MM-dd}\",\"{now:yyyy-MM-dd}\"]";
            foreach (var (name, body) in QueryRun.DashboardQueries.Where(q => only is null || only.Contains(q.Name)))
            {
                using var document = JsonDocument.Parse(body.Insert(1, $"\"date_range\":{range},"));
                var query = QueryParser.Parse(document.RootElement, QueryRun.Site, QueryRun.Goals, now, null);
                var times = new List<List<double>>();
                foreach (var engine in engines) times.Add(await QueryRun.Time(runs, () => engine.RunAsync(query, CancellationToken.None)));
                foreach (var list in times) list.Sort();
                Print(name, days, times);
            }
            if (only is null || only.Contains("3-step funnel"))
            {
                var funnel = QueryRun.FunnelQuery(days, now);
                var reach = new List<string>();
                var times = new List<List<double>>();
                foreach (IQueryEngine engine in new IQueryEngine[] { duck, clickHouse })
                {
                    reach.Add(string.Join("/", await engine.FunnelReachAsync(funnel, QueryRun.FunnelSteps, CancellationToken.None)));
                    var list = await QueryRun.Time(runs, () => engine.FunnelReachAsync(funnel, QueryRun.FunnelSteps, CancellationToken.None));
                    list.Sort();
                    times.Add(list);
                }
                // Both stores must agree on the visitors per step.
                Print("3-step funnel" + (reach[0] == reach[1] ? "" : $" (differ: DuckDB {reach[0]}, ClickHouse {reach[1]})"), days, times);
            }
        }
        return 0;
    }

    /// <summary>A row of the table: DuckDB's p50 beside ClickHouse's p50 and p95 (timings sorted).</summary>
    static void Print(string name, int days, List<List<double>> times) =>
        Console.WriteLine($"| {name} | {days} | {QueryRun.P(times[0], 0.5):F0} | {QueryRun.P(times[1], 0.5):F0} | {QueryRun.P(times[1], 0.95):F0} | {QueryRun.P(times[1], 0.5) / QueryRun.P(times[0], 0.5):F2} |");
}
