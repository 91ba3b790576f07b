using System.Diagnostics;
using Panorama.Core.Ingestion;
using Panorama.Storage.DuckDb;

namespace Panorama.Bench;

/// <summary>How fast the embedded store commits batches of realistic events, by batch size.</summary>
static class AppendRun
{
    public static async Task<int> RunAsync()
    {
        var data = Directory.CreateTempSubdirectory("panorama-append-").FullName;
        using (var store = new DuckDbEventStore(new DuckDbOptions { Path = Path.Combine(data, "events.duckdb") }))
        {
            Console.WriteLine("| batch size | batches | ms per batch (mean) | events/s |");
            Console.WriteLine("|---|---|---|---|");
            foreach (var size in new[] { 1, 10, 100, 1000, 10_000 })
            {
                var batch = Enumerable.Range(0, size).Select(Sample).ToList();
                var batches = Math.Max(20, 200_000 / size / 4);
                await store.AppendAsync(batch, CancellationToken.None);
                var clock = Stopwatch.StartNew();
                for (var i = 0; i < batches; i++) await store.AppendAsync(batch, CancellationToken.None);
                var elapsed = clock.Elapsed;
                Console.WriteLine($"| {size:N0} | {batches:N0} | {elapsed.TotalMilliseconds / batches:F3} | {size * batches / elapsed.TotalSeconds:N0} |");
            }
        }
        Directory.Delete(data, recursive: true);
        return 0;
    }

    static EnrichedEvent Sample(int i) => new()
    {
        SiteId = 1, Timestamp = DateTime.UtcNow, VisitorId = Random.Shared.NextInt64(), Name = i % 10 == 0 ? "Signup" : "pageview",
        Pathname = "/catalog/shoes", Hostname = "bench.example", Referrer = "google.com", Source = "Google", Channel = "Organic Search",
        Browser = "Chrome", BrowserVersion = "141.0", OperatingSystem = "Windows", OperatingSystemVersion = "10", Device = "Desktop",
        Screen = "Laptop", Country = "RU", PropKeys = i % 10 == 0 ? ["plan"] : [], PropValues = i % 10 == 0 ? ["pro"] : [],
    };
}
