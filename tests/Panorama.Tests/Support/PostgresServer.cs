using System.Diagnostics;

namespace Panorama.Tests.Support;

/// <summary>
/// A real PostgreSQL server (Debian's postgresql package), started by tests/scripts/postgres.sh as a plain process on
/// 127.0.0.1 and a random port. Each test names a database of its own; the migrations create it.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    static readonly string Script = Path.Combine(ClickHouseServers.RepositoryRoot(), "tests", "scripts", "postgres.sh");
    readonly TempDirectory folder = new();
    readonly int port = 30_000 + Random.Shared.Next(0, 5_000);

    string Directory => Path.Combine(folder.Path, "pg");

    public string ConnectionString(string database) => $"Host=127.0.0.1;Port={port};Username=panorama;Database={database};Pooling=true;Connection Idle Lifetime=10;Connection Pruning Interval=5";

    public static string NewDatabase() => "p_" + Guid.NewGuid().ToString("N")[..12];

    public async Task InitializeAsync()
    {
        // The server runs as the postgres user, which must be able to enter the folder.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(folder.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead
            | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        await RunAsync($"start {Directory} {port}");
    }

    public async Task DisposeAsync()
    {
        await RunAsync($"stop {Directory}");
        folder.Dispose();
    }

    async Task RunAsync(string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo("bash", $"{Script} {arguments}") { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"postgres.sh {arguments} failed: {error}");
    }
}
