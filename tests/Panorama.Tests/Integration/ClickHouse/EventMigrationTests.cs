using Panorama.Core.Ingestion;
using Panorama.Storage.ClickHouse;
using Panorama.Storage.DuckDb;
using Panorama.Tests.Support;

namespace Panorama.Tests.Integration.ClickHouse;

/// <summary><c>panorama migrate-events</c> moves an embedded install to two shards: resumable, verified, nothing twice.</summary>
[Collection(ClickHouseCollection.Name)]
public sealed class EventMigrationTests(ClickHouseServers servers)
{
    [Fact]
    public async Task MigrateEvents_InterruptedThenRerun_EveryEventOnceAndVerified()
    {
        using var data = new TempDirectory();
        var start = new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);
        var events = Enumerable.Range(1, 5_000).Select(i =>
        {
            var e = ClickHouseStoreTests.Event(i, visitor: i % 313, start.AddMinutes(i));
            return new EnrichedEvent
            {
                Sequence = e.Sequence, SiteId = 1 + i % 2, Timestamp = e.Timestamp, VisitorId = e.VisitorId, Name = i % 10 == 0 ? "Signup" : "pageview",
                Pathname = i % 10 == 0 ? $"/каталог/обувь/{i % 7}" : $"/p/{i % 7}", Hostname = e.Hostname, Source = e.Source, Channel = e.Channel, Browser = e.Browser, OperatingSystem = e.OperatingSystem,
                Device = e.Device, PropKeys = i % 10 == 0 ? ["plan", "тариф"] : [], PropValues = i % 10 == 0 ? ["pro", "годовой \"VIP\""] : [], RevenueAmount = i % 10 == 0 ? 9.99m : null,
            };
        }).ToList();
        using (var duck = new DuckDbEventStore(new DuckDbOptions { Path = Path.Combine(data.Path, "events.duckdb"), MemoryLimit = "512MB", Threads = 2 }))
            await duck.AppendAsync(events, CancellationToken.None);
        var options = servers.Options(ClickHouseServers.NewDatabase(), shards: 2, node: 0);
        string[] Command() => ["migrate-events", "--from", "duckdb", "--to", "clickhouse", "--data", data.Path, "--clickhouse", string.Join(',', options.Shards),
            $"--Panorama:Events:ClickHouse:Database={options.Database}"];

        // An earlier run that stopped after the first 2,000 events.
        var target = new ClickHouseEventStore(options, new HttpClient());
        await target.MigrateAsync(CancellationToken.None);
        await new EventMigration(target).CopyAsync(events.Take(2_000).Chunk(500).Select(EventColumns.From), 5_000, null, CancellationToken.None);

        var (code, stdout, stderr) = await PanoramaProcess.RunAsync(Command());
        Assert.True(code == 0, stderr);
        Assert.Contains("Resuming after sequence", stdout + stderr);
        Assert.Contains("every site and day has the same count in ClickHouse (5,000 in all)", stdout);
        Assert.True(stdout.Contains("Resuming after sequence", StringComparison.Ordinal), stdout + stderr);

        (code, stdout, stderr) = await PanoramaProcess.RunAsync(Command());
        Assert.True(code == 0, stderr);
        Assert.Contains("Copied 0 events", stdout);
        var shard = target.Shards[0];
        Assert.Equal(5_000, await shard.ScalarAsync("SELECT uniqExact(node, seq) FROM events", CancellationToken.None));
        Assert.Equal(5_000, await shard.ScalarAsync("SELECT count() FROM events", CancellationToken.None));
        Assert.Equal(500 * 9_990_000L, await shard.ScalarAsync("SELECT sum(revenue_micros) FROM events WHERE has(prop_keys, 'plan')", CancellationToken.None));
        // Text read straight from DuckDB's vectors: long UTF-8 strings (stored out of line) and lists come across whole.
        Assert.Equal(500, await shard.ScalarAsync(
            "SELECT count() FROM events WHERE pathname LIKE '/каталог/обувь/%' AND prop_keys = ['plan', 'тариф'] AND prop_values[2] = 'годовой \"VIP\"'", CancellationToken.None));
        Assert.Equal(4_500, await shard.ScalarAsync("SELECT count() FROM events WHERE pathname LIKE '/p/%' AND length(prop_keys) = 0 AND revenue_micros IS NULL", CancellationToken.None));
    }

    [Fact]
    public async Task MigrateEvents_UnreachableServer_SaysSoAndExitsNonZero()
    {
        using var data = new TempDirectory();
        using (new DuckDbEventStore(new DuckDbOptions { Path = Path.Combine(data.Path, "events.duckdb"), MemoryLimit = "256MB", Threads = 1 })) { }
        var (code, _, stderr) = await PanoramaProcess.RunAsync("migrate-events", "--from", "duckdb", "--to", "clickhouse", "--data", data.Path, "--clickhouse", "http://127.0.0.1:1");
        Assert.Equal(1, code);
        Assert.Contains("Connection refused", stderr);
    }
}
