using System.Diagnostics;
using Panorama.Core.Ingestion;

namespace Panorama.Bench;

/// <summary>
/// How fast the loader reads a backlog back from the spool (after a store outage, or at start after a crash): events
/// spooled in groups of 100 as the acknowledger writes them, then read in loads of 50 k as the loader takes them.
/// </summary>
static class SpoolReadRun
{
    public static int Run(string[] args)
    {
        var total = BenchArgs.Option(args, "--events", 400_000);
        var folder = Directory.CreateTempSubdirectory("panorama-spool-read-").FullName;
        try
        {
            using var spool = new EventSpool(folder);
            long sequence = 0;
            while (sequence < total)
            {
                var group = new List<EnrichedEvent>(100);
                for (var i = 0; i < 100; i++)
                {
                    sequence++;
                    group.Add(new EnrichedEvent
                    {
                        Sequence = sequence, SiteId = 1, Timestamp = DateTime.UtcNow, VisitorId = sequence * 7919, Name = EnrichedEvent.Pageview,
                        Pathname = "/catalog/item-" + sequence % 500, Hostname = "shop.example", Referrer = "yandex.ru", Source = "Yandex",
                        Channel = "Organic Search", Browser = "Chrome", BrowserVersion = "141.0", OperatingSystem = "Windows", OperatingSystemVersion = "10",
                        Device = "Desktop", Screen = "Desktop", Country = "RU", Interactive = true,
                    });
                }
                spool.Append(group);
            }
            Console.WriteLine($"{sequence:N0} events spooled, {spool.Bytes >> 20} MB");
            for (var round = 1; round <= 3; round++)
            {
                var cpu = BenchArgs.ProcessCpu();
                long read = 0;
                for (long after = 0; after < sequence; after += 50_000) read += spool.Read(after, after + 50_000).Count;
                Console.WriteLine($"round {round}: read {read:N0} in loads of 50 k, {(BenchArgs.ProcessCpu() - cpu).TotalMicroseconds / read:F2} µs CPU per event");
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
        return 0;
    }
}
