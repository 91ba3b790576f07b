using DuckDB.NET.Data;
using Panorama.Core.Ingestion;

namespace Panorama.Storage.DuckDb;

/// <summary>
/// Events in one DuckDB file. One writer connection, fed only by the batch writer; queries use their own
/// connections to the same in-process database. The appender is disposed per batch, which commits it,
/// so the next query sees the rows.
/// </summary>
public sealed partial class DuckDbEventStore : IEventSink, IDisposable
{
    readonly string connectionString;
    readonly DuckDBConnection root;
    readonly DuckDBConnection writer;
    readonly DuckDBConnection visitsWriter;
    readonly Timer purging = new(_ => Jemalloc.Purge(), null, Jemalloc.PurgeInterval, Jemalloc.PurgeInterval);

    /// <summary>Whether opening the store failed because another process holds the file (DuckDB lets one process open it).</summary>
    public static bool HeldByAnotherProcess(Exception exception) => exception.Message.Contains("Could not set lock", StringComparison.Ordinal);

    public DuckDbEventStore(DuckDbOptions options)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(options.Path))!);
        // allocator_background_threads: DuckDB's jemalloc otherwise returns freed pages only while DuckDB allocates, so
        // a server kept ~50–100 MB more after a burst of traffic (bench ingest: 15 s after the run 266–366 MB with it,
        // 318–419 MB without; CPU per event the same in store-load).
        connectionString = $"Data Source={options.Path};memory_limit={options.MemoryLimit};threads={options.Threads};" +
            $"checkpoint_threshold={options.CheckpointThreshold};allocator_background_threads=true";
        // Connections opened in this process to the same file share one database instance.
        root = new DuckDBConnection(connectionString);
        root.Open();
        Execute(root, DuckDbSchema.CreateEvents);
        foreach (var column in DuckDbSchema.OptionalColumns) Execute(root, $"ALTER TABLE events ALTER COLUMN {column} DROP NOT NULL");
        Execute(root, DuckDbSchema.CreateVisits);
        Execute(root, DuckDbSchema.CreatePageDays);
        Execute(root, DuckDbSchema.CreateMidnightPairs);
        Execute(root, DuckDbSchema.CreateSequenceFloor);
        Execute(root, DuckDbSchema.NoteMidnightPairsArrival);
        writer = Open();
        visitsWriter = Open();
    }

    static string? Optional(string value) => value.Length == 0 ? null : value;

    public Task<long> MaxSequenceAsync(CancellationToken cancellationToken)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT greatest(coalesce((SELECT max(seq) FROM events), 0), coalesce((SELECT max(sequence) FROM sequence_floor), 0))";
        return Task.FromResult(Convert.ToInt64(command.ExecuteScalar()));
    }

    public Task AppendAsync(IReadOnlyList<EnrichedEvent> batch, CancellationToken cancellationToken)
    {
        using var _ = writing.EnterScope();
        // Before the events: a pair without its events changes nothing, events without their pair could not be re-keyed.
        NoteMidnightPairs(batch);
        using (var appender = writer.CreateAppender("events"))
        {
            foreach (var e in batch)
            {
                var row = appender.CreateRow()
                    .AppendValue(e.SiteId)
                    .AppendValue(e.Timestamp)
                    .AppendValue(e.Sequence)
                    .AppendValue(e.VisitorId)
                    .AppendValue(e.Name)
                    .AppendValue(e.Pathname)
                    .AppendValue(e.Hostname)
                    .AppendValue(Optional(e.Referrer))
                    .AppendValue(e.Source)
                    .AppendValue(e.Channel)
                    .AppendValue(Optional(e.UtmSource))
                    .AppendValue(Optional(e.UtmMedium))
                    .AppendValue(Optional(e.UtmCampaign))
                    .AppendValue(Optional(e.UtmContent))
                    .AppendValue(Optional(e.UtmTerm))
                    .AppendValue(e.Browser)
                    .AppendValue(Optional(e.BrowserVersion))
                    .AppendValue(e.OperatingSystem)
                    .AppendValue(Optional(e.OperatingSystemVersion))
                    .AppendValue(e.Device)
                    .AppendValue(Optional(e.Screen))
                    .AppendValue(Optional(e.Country))
                    .AppendValue(Optional(e.Region))
                    .AppendValue(Optional(e.City))
                    .AppendValue(e.PropKeys.Length == 0 ? null : (IEnumerable<string>)e.PropKeys)
                    .AppendValue(e.PropValues.Length == 0 ? null : (IEnumerable<string>)e.PropValues)
                    .AppendValue(e.RevenueAmount)
                    .AppendValue(Optional(e.RevenueCurrency))
                    .AppendValue(e.EngagementMilliseconds)
                    .AppendValue(e.ScrollDepth is { } depth ? (short?)depth : null)
                    .AppendValue(e.Interactive);
                row.EndRow();
            }
        }
        foreach (var e in batch) NoteAppendedDay(e.SiteId, DateOnly.FromDateTime(e.Timestamp));
        return Task.CompletedTask;
    }

    /// <summary>Memory DuckDB's own buffer manager holds now (its data cache, hash tables, appends not yet checkpointed).</summary>
    public long BufferMemoryBytes()
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT coalesce(sum(memory_usage_bytes), 0)::BIGINT FROM duckdb_memory()";
        return Convert.ToInt64(command.ExecuteScalar());
    }

    /// <summary>DuckDB's buffer memory by what holds it (for diagnostics), largest first, in MB.</summary>
    public string BufferMemoryByTag()
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT string_agg(tag || ' ' || (memory_usage_bytes // 1048576), ', ' ORDER BY memory_usage_bytes DESC) FROM duckdb_memory() WHERE memory_usage_bytes >= 1048576";
        return Convert.ToString(command.ExecuteScalar()) ?? "";
    }

    /// <summary>How many events a site has stored in total.</summary>
    public long CountEvents(int siteId)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM events WHERE site_id = $site";
        command.Parameters.Add(new DuckDBParameter("site", siteId));
        return Convert.ToInt64(command.ExecuteScalar());
    }

    static DuckDBCommand Command(DuckDBConnection connection, string sql, int siteId, Panorama.Core.Reports.DateRange range)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.Add(new DuckDBParameter("site", siteId));
        command.Parameters.Add(new DuckDBParameter("from", range.From));
        command.Parameters.Add(new DuckDBParameter("to", range.To));
        return command;
    }

    /// <summary>A new connection to the same database, for one query.</summary>
    DuckDBConnection Open()
    {
        var connection = new DuckDBConnection(connectionString);
        connection.Open();
        return connection;
    }

    static void Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        purging.Dispose();
        visitsWriter.Dispose();
        writer.Dispose();
        root.Dispose();
    }
}
