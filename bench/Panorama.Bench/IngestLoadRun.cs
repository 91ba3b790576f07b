using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Panorama.Core.Ingestion;
using Panorama.Core.Sites;
using Panorama.Web;
using Panorama.Web.Tracker;

namespace Panorama.Bench;

/// <summary>
/// Load run on loopback: wrk sends varied tracker events to durable ingestion (<c>/api/event</c>) and, in the
/// same run and the same process, to a bare endpoint that only answers 202. Rounds alternate so both see the
/// same machine; the best round of each is reported, with the ratio.
/// </summary>
static partial class IngestLoadRun
{
    const string Url = "http://127.0.0.1:5091";

    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = BenchArgs.Option(args, "--seconds", 15);
        var connections = BenchArgs.Option(args, "--connections", 100);
        var rounds = BenchArgs.Option(args, "--rounds", 2);
        var script = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../ingest.lua"));
        if (!File.Exists(script)) script = Path.GetFullPath("bench/ingest.lua");
        // On a machine with spare cores: `taskset -c 0,1` around the run and --wrk-cpus 2-7 keep the load generator off the
        // server's cores, so the server's own capacity on two cores is measured.
        var wrkCpus = BenchArgs.Option(args, "--wrk-cpus", "");
        var wrkThreads = BenchArgs.Option(args, "--wrk-threads", 2);
        Task<WrkResult> Wrk(string path, int duration) => IngestLoadRun.Wrk(script, path, duration, connections, wrkThreads, wrkCpus);

        // Also a bare endpoint answered first in the pipeline, as ingestion is (IngestionEndpoints.UseIngestion): the floor
        // of what Kestrel alone costs a request.
        var bareFirst = args.Contains("--bare-first");
        var data = Directory.CreateTempSubdirectory("panorama-bench-").FullName;
        // Extra settings pass through, e.g. --Panorama:Ingestion:EventsPerSecondPerIp=0 to measure without the rate limiter, or --Logging:….
        await using var app = PanoramaServer.Build([
            $"--urls={Url}", $"--Panorama:DataDirectory={data}", "--Panorama:Ingestion:TrustedProxies:0=127.0.0.1",
            "--Logging:LogLevel:Default=Warning", .. args.Where(a => a.StartsWith("--Panorama:", StringComparison.Ordinal) || a.StartsWith("--Logging:", StringComparison.Ordinal)),
        ], builder => builder.Services.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter>(new BareFirst()));
        app.MapPost("/bench/bare", () => Results.StatusCode(StatusCodes.Status202Accepted));
        app.Services.GetRequiredService<SiteDirectory>().Add("bench.example");
        await app.StartAsync();
        using (var started = Process.GetCurrentProcess())
            Console.WriteLine($"RSS after start: {started.WorkingSet64 / 1024 / 1024} MB (.NET heap {GC.GetGCMemoryInfo().HeapSizeBytes / 1024 / 1024} MB)");

        // Sampled together, at the moment RSS peaks, so the parts add up: what the .NET GC has committed, what DuckDB's
        // buffer manager holds, and the rest (code, native allocators' retained memory, thread stacks).
        var peak = new MemorySample(0, 0, 0, 0, "", "");
        var duckDb = app.Services.GetService<Panorama.Storage.DuckDb.DuckDbEventStore>();
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                using var self = Process.GetCurrentProcess();
                if (self.WorkingSet64 > peak.Rss)
                    peak = new MemorySample(self.WorkingSet64, GC.GetGCMemoryInfo().HeapSizeBytes, GC.GetGCMemoryInfo().TotalCommittedBytes,
                        duckDb?.BufferMemoryBytes() ?? 0, duckDb?.BufferMemoryByTag() ?? "", duckDb is null ? "" : JemallocStats.Text());
                await Task.Delay(200);
            }
        });

        Console.WriteLine($"warm-up ({connections} connections)...");
        await Wrk("/bench/bare", 3);
        await Wrk("/api/event", 3);
        double bestBare = 0, bestIngest = 0, bestBareMicros = double.MaxValue, bestIngestMicros = double.MaxValue;
        double bestFirst = 0, bestFirstMicros = double.MaxValue;
        long ingestNon2xx = 0;
        for (var round = 1; round <= rounds; round++)
        {
            var cpu = BenchArgs.ProcessCpu();
            var allocated = GC.GetTotalAllocatedBytes();
            var bare = await Wrk("/bench/bare", seconds);
            var bareCpu = BenchArgs.ProcessCpu() - cpu;
            var bareAllocated = GC.GetTotalAllocatedBytes() - allocated;
            cpu = BenchArgs.ProcessCpu();
            allocated = GC.GetTotalAllocatedBytes();
            var ingest = await Wrk("/api/event", seconds);
            var ingestCpu = BenchArgs.ProcessCpu() - cpu;
            var ingestAllocated = GC.GetTotalAllocatedBytes() - allocated;
            if (bareFirst)
            {
                cpu = BenchArgs.ProcessCpu();
                var first = await Wrk(BareFirst.Path, seconds);
                var firstMicros = (BenchArgs.ProcessCpu() - cpu).TotalMicroseconds / (first.RequestsPerSecond * seconds);
                Console.WriteLine($"round {round}: bare ahead of the pipeline {first.RequestsPerSecond:N0} req/s ({firstMicros:F0} µs server CPU)");
                bestFirst = Math.Max(bestFirst, first.RequestsPerSecond);
                bestFirstMicros = Math.Min(bestFirstMicros, firstMicros);
            }
            // Server CPU per request is steadier than requests/s on shared cores: it says what each request costs.
            var bareMicros = bareCpu.TotalMicroseconds / (bare.RequestsPerSecond * seconds);
            var ingestMicros = ingestCpu.TotalMicroseconds / (ingest.RequestsPerSecond * seconds);
            Console.WriteLine($"round {round}: bare {bare.RequestsPerSecond:N0} req/s ({bareMicros:F0} µs server CPU, " +
                $"{bareAllocated / (bare.RequestsPerSecond * seconds):F0} B allocated each), ingestion {ingest.RequestsPerSecond:N0} req/s " +
                $"({ingestMicros:F0} µs, {ingestAllocated / (ingest.RequestsPerSecond * seconds):F0} B each, {ingest.Non2xx} non-2xx)");
            bestBareMicros = Math.Min(bestBareMicros, bareMicros);
            bestIngestMicros = Math.Min(bestIngestMicros, ingestMicros);
            bestBare = Math.Max(bestBare, bare.RequestsPerSecond);
            bestIngest = Math.Max(bestIngest, ingest.RequestsPerSecond);
            ingestNon2xx += ingest.Non2xx;
        }
        sampling.Cancel();
        await sampler;
        // What a server keeps once the traffic stops: allocators return freed memory only after their decay.
        await Task.Delay(TimeSpan.FromSeconds(15));
        long restingRss;
        using (var self = Process.GetCurrentProcess()) restingRss = self.WorkingSet64;

        var queue = app.Services.GetRequiredService<IngestionQueue>();
        var tracker = app.Services.GetRequiredService<TrackerScript>();
        var writer = app.Services.GetRequiredService<EventBatchWriter>();
        Console.WriteLine();
        Console.WriteLine("| measure | value |");
        Console.WriteLine("|---|---|");
        Console.WriteLine($"| bare endpoint (202 only), best round | {bestBare:N0} req/s |");
        Console.WriteLine($"| durable ingestion `/api/event`, best round | {bestIngest:N0} req/s |");
        Console.WriteLine($"| ingestion / bare | {bestIngest / bestBare:P0} |");
        if (bareFirst)
            Console.WriteLine($"| bare ahead of the pipeline, best round; ingestion / it | {bestFirst:N0} req/s ({bestFirstMicros:F0} µs); {bestIngest / bestFirst:P0} |");
        Console.WriteLine($"| server CPU per request, bare / ingestion (lowest round) | {bestBareMicros:F0} µs / {bestIngestMicros:F0} µs |");
        Console.WriteLine($"| events committed (all rounds incl. warm-up) | {queue.Accepted:N0}, dropped as bots {queue.Dropped:N0}, non-2xx {ingestNon2xx} |");
        Console.WriteLine($"| loads into the store, visit-building passes | {writer.Batches:N0} in {writer.StoreTime.Loading.TotalSeconds:F1} s, {writer.VisitPasses:N0} in {writer.StoreTime.BuildingVisits.TotalSeconds:F1} s |");
        Console.WriteLine($"| peak server RSS (.NET heap, its committed memory, DuckDB buffer manager) | {peak.Rss >> 20} MB ({peak.Heap >> 20} MB, {peak.Committed >> 20} MB, {peak.DuckDb >> 20} MB) |");
        if (duckDb is not null)
        {
            Console.WriteLine($"| DuckDB's buffers at the RSS peak, MB | {peak.DuckDbTags} |");
            Console.WriteLine($"| DuckDB's jemalloc at the RSS peak | {peak.Jemalloc} |");
        }
        Console.WriteLine($"| RSS 15 s after the last round | {restingRss >> 20} MB |");
        Console.WriteLine($"| tracker size | {tracker.Plain.Length} bytes, {tracker.Gzipped.Length} gzipped |");
        Console.WriteLine($"| machine | {Environment.ProcessorCount} cores, wrk -t{wrkThreads} -c{connections} -d{seconds}s " +
            (wrkCpus == "" ? "on the same cores |" : $"on cores {wrkCpus} |"));
        await app.StopAsync();
        Directory.Delete(data, recursive: true);
        return 0;
    }

    sealed record WrkResult(double RequestsPerSecond, long Non2xx);

    sealed class BareFirst : Microsoft.AspNetCore.Hosting.IStartupFilter
    {
        public const string Path = "/bench/bare-first";

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((http, rest) =>
            {
                if (!HttpMethods.IsPost(http.Request.Method) || http.Request.Path != Path) return rest(http);
                http.Response.StatusCode = StatusCodes.Status202Accepted;
                return Task.CompletedTask;
            });
            next(app);
        };
    }

    sealed record MemorySample(long Rss, long Heap, long Committed, long DuckDb, string DuckDbTags, string Jemalloc);

    static async Task<WrkResult> Wrk(string script, string path, int seconds, int connections, int threads, string cpus)
    {
        var wrk = $"-t{threads} -c{connections} -d{seconds}s -s {script} {Url}{path}";
        var info = new ProcessStartInfo(cpus == "" ? "wrk" : "taskset", cpus == "" ? wrk : $"-c {cpus} wrk {wrk}") { RedirectStandardOutput = true };
        using var process = Process.Start(info) ?? throw new InvalidOperationException("wrk is not installed (apt-get install wrk)");
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var rps = RequestsPerSecond().Match(output);
        var non2xx = Non2xx().Match(output);
        if (!rps.Success) throw new InvalidOperationException("wrk output not understood:\n" + output);
        return new WrkResult(double.Parse(rps.Groups[1].Value, CultureInfo.InvariantCulture), non2xx.Success ? long.Parse(non2xx.Groups[1].Value, CultureInfo.InvariantCulture) : 0);
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex Non2xx();
}
