using System.Diagnostics;
using System.Text;
using Panorama.Core.Enrichment;
using Panorama.Core.Ingestion;
using Panorama.Core.Privacy;
using Panorama.Core.Sites;

namespace Panorama.Bench;

/// <summary>CPU cost per event of each ingestion step, single-threaded, on varied realistic input.</summary>
static class EnrichRun
{
    public static int Run()
    {
        var data = EnrichmentData.Load(Path.Combine(AppContext.BaseDirectory, "EnrichmentData"));
        var enricher = new EventEnricher(data);
        var site = new Site { Id = 1, Domain = "bench.example" };
        var salt = new byte[16];
        var random = new Random(1);
        string[] agents =
        [
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 18_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.6 Mobile/15E148 Safari/604.1",
        ];
        const int count = 200_000;
        var bodies = Enumerable.Range(0, 1000).Select(i => Encoding.UTF8.GetBytes(
            $$"""{"n":"pageview","u":"https://bench.example/catalog/{{i % 7}}?utm_source=yandex&utm_medium=cpc","d":"bench.example","r":"https://www.google.com/","w":1280}""")).ToArray();
        var ips = Enumerable.Range(0, 1000).Select(_ => $"{random.Next(1, 224)}.{random.Next(256)}.{random.Next(256)}.{random.Next(1, 255)}").ToArray();
        var parsed = bodies.Select(b => EventPayloadReader.ReadPlausible(b).Event!).ToArray();

        Measure("parse JSON body", count, i => EventPayloadReader.ReadPlausible(bodies[i % 1000]));
        Measure("classify source", count, i => data.Sources.Classify(parsed[i % 1000].Url, parsed[i % 1000].Referrer));
        Measure("parse User-Agent (cached)", count, i => data.UserAgents.Parse(agents[i % 2]));
        Measure("bot check (cached)", count, i => data.Bots.IsBot(agents[i % 2]));
        Measure("geolocate IP", count, i => data.Geo.Locate(ips[i % 1000]));
        Measure("visitor hash", count, i => VisitorHasher.Hash(salt, site.Domain, ips[i % 1000], agents[i % 2]));
        Measure("whole enrichment", count, i => enricher.Enrich(parsed[i % 1000], site, new RequestContext(ips[i % 1000], agents[i % 2], DateTimeOffset.UtcNow), _ => salt));
        return 0;
    }

    static void Measure(string step, int count, Action<int> action)
    {
        for (var i = 0; i < 10_000; i++) action(i);
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++) action(i);
        var elapsed = clock.Elapsed;
        Console.WriteLine($"| {step} | {elapsed.TotalMicroseconds / count:F2} µs | {(GC.GetAllocatedBytesForCurrentThread() - allocated) / count} B |");
    }
}
