using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Panorama.Storage.ClickHouse;
using Panorama.Storage.DuckDb;

namespace Panorama.Cli;

/// <summary><c>panorama migrate</c> (the ClickHouse schema) and <c>panorama migrate-events</c> (an embedded install's events into it).</summary>
static class EventCommands
{
    static bool ClickHouseConfigured(CommandLine line)
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(line.HostArguments.ToArray()).Build();
        return configuration.GetSection("Panorama:Events:ClickHouse:Shards").GetChildren().Any()
            || string.Equals(configuration["Panorama:Events:Provider"], "clickhouse", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>ClickHouse settings from Panorama:Events:ClickHouse (appsettings, environment), then --clickhouse and --node.</summary>
    static ClickHouseOptions ClickHouse(CommandLine line)
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(line.HostArguments.ToArray())
            .Build();
        var options = new ClickHouseOptions();
        configuration.GetSection("Panorama:Events:ClickHouse").Bind(options);
        if (line.Option("clickhouse") is { } shards) options.Shards = shards.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (line.Option("node") is { } node)
            options.NodeId = int.TryParse(node, CultureInfo.InvariantCulture, out var id) && id is >= 0 and <= ushort.MaxValue ? id : throw new CommandLineException("--node is 0 to 65535.");
        if (options.Shards.Length == 0) throw new CommandLineException("name the ClickHouse servers: --clickhouse http://host:8123[,http://host2:8123] or Panorama:Events:ClickHouse:Shards.");
        foreach (var shard in options.Shards)
            if (!Uri.TryCreate(shard, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                throw new CommandLineException($"'{shard}' is not an http:// address of a ClickHouse server.");
        return options;
    }

    /// <summary>The relational schema (PostgreSQL's migrations, or the embedded file), then ClickHouse's when servers are named.</summary>
    public static async Task<int> MigrateAsync(CommandLine line, Func<ServiceProvider> relational)
    {
        using (var services = relational())
        {
            var database = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Panorama.Web.PanoramaOptions>>().Value.Database;
            Console.WriteLine(database.UsesPostgres ? "Relational schema up to date on PostgreSQL (EF Core migrations)." : "Relational schema up to date in the data folder (SQLite).");
        }
        if (line.Option("clickhouse") is null && ClickHouseConfigured(line) is false) return 0;
        var options = ClickHouse(line);
        var store = new ClickHouseEventStore(options, new HttpClient());
        try
        {
            await store.MigrateAsync(CancellationToken.None);
        }
        catch (Exception exception) when (exception is HttpRequestException or ClickHouseException)
        {
            Console.Error.WriteLine($"panorama: migrate: {exception.Message}");
            return 1;
        }
        Console.WriteLine(options.Sharded
            ? $"Schema ready on {options.Shards.Length} shards: events_local on each, events (Distributed over cluster '{options.Cluster}', sharded by visitor)."
            : $"Schema ready on {options.Shards[0]}: events_local.");
        return 0;
    }

    public static async Task<int> MigrateEventsAsync(CommandLine line)
    {
        if (line.Option("from") is not "duckdb" || line.Option("to") is not "clickhouse")
            throw new CommandLineException("migrate-events moves events --from duckdb --to clickhouse.");
        var data = line.Option("data") ?? "panorama-data";
        var path = Path.Combine(data, "events.duckdb");
        if (!File.Exists(path)) throw new CommandLineException($"{path}: no such file (give the data folder with --data).");
        var options = ClickHouse(line);
        DuckDbEventStore source;
        try
        {
            source = new DuckDbEventStore(new DuckDbOptions { Path = path, MemoryLimit = "2GB", Threads = Environment.ProcessorCount });
        }
        catch (Exception exception) when (DuckDbEventStore.HeldByAnotherProcess(exception))
        {
            Console.Error.WriteLine($"panorama: {path} is in use: stop the server first (DuckDB lets one process open it).");
            return 1;
        }
        using (source)
        {
            var target = new ClickHouseEventStore(options, new HttpClient());
            var migration = new EventMigration(target);
            try
            {
                await target.MigrateAsync(CancellationToken.None);
                var after = await migration.ResumeAfterAsync(CancellationToken.None);
                var total = source.CountAll();
                if (after > 0) Console.WriteLine($"Resuming after sequence {after:N0}.");
                var copied = await migration.CopyAsync(source.ReadEventSlices(after, migration.NewBatch), total, Draw, CancellationToken.None);
                Console.Error.WriteLine();
                var mismatches = await migration.VerifyAsync(source.CountsPerSiteAndDay(), CancellationToken.None);
                foreach (var m in mismatches.Take(20))
                    Console.Error.WriteLine($"panorama: site {m.SiteId}, {m.Day:yyyy-MM-dd}: {m.Source:N0} events in DuckDB, {m.Target:N0} in ClickHouse.");
                if (mismatches.Count > 0)
                {
                    Console.Error.WriteLine($"panorama: verification failed on {mismatches.Count} site-days; run the command again to resume.");
                    return 1;
                }
                Console.WriteLine($"Copied {copied:N0} events; every site and day has the same count in ClickHouse ({total:N0} in all).");
                return 0;
            }
            catch (Exception exception) when (exception is HttpRequestException or ClickHouseException or AggregateException)
            {
                Console.Error.WriteLine();
                Console.Error.WriteLine($"panorama: migrate-events stopped: {exception.Message}\nRun the same command again to resume where it stopped.");
                return 1;
            }
        }
    }

    static void Draw(EventMigration.Progress progress)
    {
        var share = progress.Total == 0 ? 1 : Math.Min(1, (double)progress.Copied / progress.Total);
        var bar = new string('#', (int)(share * 30)).PadRight(30);
        Console.Error.Write($"\r[{bar}] {share * 100:0}% {progress.Copied:N0}/{progress.Total:N0} events, {progress.RowsPerSecond:N0} rows/s   ");
    }
}
