using System.Diagnostics;
using Panorama.Storage.ClickHouse;

namespace Panorama.Tests.Support;

/// <summary>
/// Two real ClickHouse servers (Debian's clickhouse-server), started as plain processes by tests/scripts/clickhouse.sh
/// on 127.0.0.1 and 127.0.0.2, each knowing both as the shards of the cluster "panorama". Tests take a database of
/// their own, so they never see each other's rows.
/// </summary>
public sealed class ClickHouseServers : IAsyncLifetime
{
    static readonly string Script = Path.Combine(RepositoryRoot(), "tests", "scripts", "clickhouse.sh");
    readonly TempDirectory folder = new();
    readonly int basePort = 20_000 + Random.Shared.Next(0, 2_000) * 4;

    public string HttpUrl(int shard) => $"http://127.0.0.{shard + 1}:{basePort + shard}";
    int TcpPort(int shard) => basePort + 2 + shard;
    string Directory(int shard) => Path.Combine(folder.Path, $"shard{shard}");

    public async Task InitializeAsync()
    {
        if (!File.Exists("/usr/sbin/clickhouse-server"))
            throw new InvalidOperationException("clickhouse-server is not installed: test.sh installs Debian's package (apt-get install clickhouse-server).");
        for (var shard = 0; shard < 2; shard++) await StartAsync(shard);
    }

    /// <summary>Starts (or restarts, keeping its data) one shard.</summary>
    public async Task StartAsync(int shard)
    {
        var cluster = $"127.0.0.1:{TcpPort(0)} 127.0.0.2:{TcpPort(1)}";
        await RunAsync($"start {Directory(shard)} 127.0.0.{shard + 1} {basePort + shard} {TcpPort(shard)} {cluster}");
    }

    /// <summary>Kills one shard at once (SIGKILL), as a crash or a network cut would stop it.</summary>
    public async Task KillAsync(int shard)
    {
        var pid = int.Parse(await File.ReadAllTextAsync(Path.Combine(Directory(shard), "pid")), System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill();
            await process.WaitForExitAsync();
        }
        catch (ArgumentException)
        {
            // Already gone.
        }
    }

    public ClickHouseOptions Options(string database, int shards, int node = 1) => new()
    {
        Shards = Enumerable.Range(0, shards).Select(HttpUrl).ToArray(),
        Database = database,
        NodeId = node,
    };

    public static string NewDatabase() => "t_" + Guid.NewGuid().ToString("N")[..12];

    async Task RunAsync(string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo("bash", $"{Script} {arguments}") { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"clickhouse.sh {arguments} failed: {error}");
    }

    public async Task DisposeAsync()
    {
        for (var shard = 0; shard < 2; shard++) await RunAsync($"stop {Directory(shard)}");
        await Task.Delay(200);
        folder.Dispose();
    }

    internal static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Panorama.slnx"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("The repository root was not found.");
    }
}

/// <summary>The scale-out tests run alone, after the others: servers and two-node runs would otherwise starve the browser tests of the two cores.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClickHouseCollection : ICollectionFixture<ClickHouseServers>
{
    public const string Name = "ClickHouse servers";
}
