using System.Diagnostics;
using Panorama.Core.Ingestion;
using Panorama.Storage.DuckDb;

namespace Panorama.Bench;

/// <summary>
/// The embedded store's share of ingestion, alone: events shaped like the load run's (every event from a new
/// visitor unless <c>--events-per-visitor</c> says otherwise) loaded in the batches the loader makes at that rate,
/// with a visit pass every ten loads, as the writer paces them. Reports the process CPU each step costs per event,
/// which is what ingestion pays for the store on shared cores.
/// </summary>
static class StoreLoadRun
{
    static readonly string[] Paths = ["/", "/pricing", "/catalog/shoes", "/catalog/bags", "/product/1042", "/blog/autumn-trends", "/checkout"];
    static readonly (string Referrer, string Source, string Channel)[] Sources =
    [
        ("", "Direct / None", "Direct"), ("google.com", "Google", "Organic Search"), ("yandex.ru", "Yandex", "Organic Search"),
        ("t.me", "Telegram", "Organic Social"), ("vk.com", "VKontakte", "Organic Social"),
    ];
    static readonly (string Browser, string Version, string Os, string OsVersion, string Device)[] Agents =
    [
        ("Chrome", "141.0", "Windows", "10", "Desktop"), ("Safari", "18.6", "iOS", "18.6", "Mobile"),
        ("Chrome", "141.0", "Android", "14", "Mobile"), ("Yandex Browser", "25.8", "Windows", "10", "Desktop"),
        ("Safari", "18.6", "Mac", "10.15", "Desktop"), ("Firefox", "144.0", "Windows", "10", "Desktop"),
    ];
    static readonly string[] Countries = ["RU", "DE", "US", "KZ", "BY", "FR"];

    public static async Task<int> RunAsync(string[] args)
    {
        var total = BenchArgs.Option(args, "--events", 600_000);
        var batchSize = BenchArgs.Option(args, "--batch", 18_000);
        var perVisitor = BenchArgs.Option(args, "--events-per-visitor", 1);
        // The writer's pace: a load a second and a visit pass every ten seconds under steady load.
        var loadsPerPass = BenchArgs.Option(args, "--loads-per-pass", 10);
        var threads = BenchArgs.Option(args, "--threads", Environment.ProcessorCount);
        var data = Directory.CreateTempSubdirectory("panorama-store-load-").FullName;
        var random = new Random(42);
        // --midnight: the events span 23:30–00:30 UTC and each visitor's id changes at midnight, with yesterday's id
        // carried in the first half hour, and no writer to apply continuity: every visit over midnight is found by the
        // visit pass's re-key (the worst case for it).
        var midnight = args.Contains("--midnight");
        var start = midnight ? DateTime.UtcNow.Date.AddMinutes(-30) : DateTime.UtcNow.AddMinutes(-30);
        var spacing = midnight ? TimeSpan.FromHours(1).Ticks / total : 300;
        var visitors = new List<long>();
        using (var store = new DuckDbEventStore(new DuckDbOptions { Path = Path.Combine(data, "events.duckdb"), Threads = threads }))
        {
            TimeSpan appending = TimeSpan.Zero, building = TimeSpan.Zero;
            long sequence = 0;
            var loads = 0;
            var passes = 0;
            var wall = Stopwatch.StartNew();
            while (sequence < total)
            {
                var batch = new List<EnrichedEvent>(batchSize);
                for (var i = 0; i < batchSize && sequence < total; i++)
                {
                    sequence++;
                    // A new visitor, or one of the recent ones, so that each visitor sends about perVisitor events.
                    long visitor;
                    if (perVisitor <= 1 || visitors.Count == 0 || random.Next(perVisitor) == 0)
                    {
                        visitor = random.NextInt64();
                        visitors.Add(visitor);
                        if (visitors.Count > 20_000) visitors.RemoveRange(0, 10_000);
                    }
                    else visitor = visitors[visitors.Count - 1 - random.Next(Math.Min(visitors.Count, 5_000))];
                    var at = start.AddTicks(sequence * spacing);
                    // After midnight the id is today's; in the first half hour yesterday's rides along.
                    var afterMidnight = midnight && at >= start.AddMinutes(30);
                    var e = Sample(random, sequence, afterMidnight ? visitor ^ 0x5555_5555 : visitor, at,
                        afterMidnight && at < start.AddHours(1) ? visitor : 0);
                    batch.Add(e);
                }
                var cpu = BenchArgs.ProcessCpu();
                await store.AppendAsync(batch, CancellationToken.None);
                appending += BenchArgs.ProcessCpu() - cpu;
                loads++;
                if (loads % loadsPerPass == 0 || sequence >= total)
                {
                    if (Environment.GetEnvironmentVariable("TRACE") is not null) Console.WriteLine($"after {sequence:N0}: loads {appending.TotalSeconds:F1} s, passes {building.TotalSeconds:F1} s");
                    cpu = BenchArgs.ProcessCpu();
                    await store.RefreshVisitsAsync(CancellationToken.None);
                    building += BenchArgs.ProcessCpu() - cpu;
                    passes++;
                }
            }
            using var self = Process.GetCurrentProcess();
            Console.WriteLine("| measure | value |");
            Console.WriteLine("|---|---|");
            Console.WriteLine($"| events, batch size, events per visitor | {total:N0}, {batchSize:N0}, {perVisitor} |");
            Console.WriteLine($"| loads: CPU per event | {appending.TotalMicroseconds / total:F1} µs ({loads} loads, {appending.TotalSeconds:F1} s CPU) |");
            Console.WriteLine($"| visit passes: CPU per event | {building.TotalMicroseconds / total:F1} µs ({passes} passes, {building.TotalSeconds:F1} s CPU) |");
            Console.WriteLine($"| wall | {wall.Elapsed.TotalSeconds:F1} s |");
            Console.WriteLine($"| RSS at the end (DuckDB buffer manager) | {self.WorkingSet64 / 1024 / 1024} MB ({store.BufferMemoryBytes() / 1024 / 1024} MB) |");
        }
        var keep = Array.IndexOf(args, "--keep");
        if (keep >= 0) File.Move(Path.Combine(data, "events.duckdb"), args[keep + 1], overwrite: true);
        Directory.Delete(data, recursive: true);
        return 0;
    }

    static EnrichedEvent Sample(Random random, long sequence, long visitor, DateTime timestamp, long yesterday = 0)
    {
        var source = Sources[random.Next(Sources.Length)];
        var agent = Agents[random.Next(Agents.Length)];
        var signup = random.Next(10) == 0;
        var campaign = random.Next(5) == 0;
        return new EnrichedEvent
        {
            Sequence = sequence, SiteId = 1, Timestamp = timestamp, VisitorId = visitor, PreviousDayVisitorId = yesterday, Name = signup ? "Signup" : EnrichedEvent.Pageview,
            Pathname = Paths[random.Next(Paths.Length)], Hostname = "bench.example", Referrer = source.Referrer, Source = source.Source,
            Channel = source.Channel, UtmSource = campaign ? "newsletter" : "", UtmMedium = campaign ? "email" : "",
            Browser = agent.Browser, BrowserVersion = agent.Version, OperatingSystem = agent.Os, OperatingSystemVersion = agent.OsVersion,
            Device = agent.Device, Screen = random.Next(2) == 0 ? "Desktop" : "Mobile", Country = Countries[random.Next(Countries.Length)],
            Interactive = true,
        };
    }
}
