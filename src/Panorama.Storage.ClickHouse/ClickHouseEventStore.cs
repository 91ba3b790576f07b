using System.Runtime.InteropServices;
using Panorama.Core.Ingestion;

namespace Panorama.Storage.ClickHouse;

/// <summary>
/// Events in ClickHouse. The node routes each event to its visitor's shard itself and inserts there in Native format,
/// one INSERT per shard per batch (the batch writer gathers up to 50 k events or what came in while the last batch
/// was written). Each shard's highest stored sequence of this node is known, so a batch retried after one shard
/// failed — or replayed from the spool after a crash — is stored exactly once: what a shard already has is skipped.
/// </summary>
public sealed partial class ClickHouseEventStore : IEventSink
{
    readonly ClickHouseOptions options;
    readonly ClickHouseHttp[] shards;
    readonly long[] marks;
    readonly bool[] known;
    readonly bool[] reachable;
    readonly NativeEvents rows = new();
    readonly List<int> shardRows = [];
    readonly SemaphoreSlim writing = new(1, 1);
    readonly string? sentPath;
    long sent;
    long appended;
    long written;

    /// <summary>Rows this instance inserted (events a shard already held are skipped, not counted).</summary>
    public long RowsWritten => Interlocked.Read(ref written);

    /// <param name="sentPath">
    /// A local file holding the highest sequence this node ever sent to any shard, written before sending: after a
    /// restart with a shard down, new events are still numbered above anything that shard may hold.
    /// </param>
    public ClickHouseEventStore(ClickHouseOptions options, HttpClient http, string? sentPath = null)
    {
        if (options.Shards.Length == 0) throw new ArgumentException("ClickHouse needs at least one server: set Panorama:Events:ClickHouse:Shards (or --clickhouse URL).");
        if (options.NodeId is < 0 or > ushort.MaxValue) throw new ArgumentException("NodeId is 0 to 65535.");
        this.options = options;
        shards = options.Shards.Select(url => new ClickHouseHttp(http, new Uri(url), options.Database, options.User, options.Password)).ToArray();
        marks = new long[shards.Length];
        known = new bool[shards.Length];
        this.sentPath = sentPath;
        if (sentPath is not null && File.Exists(sentPath)) sent = long.Parse(File.ReadAllText(sentPath), System.Globalization.CultureInfo.InvariantCulture);
        reachable = Enumerable.Repeat(true, shards.Length).ToArray();
    }

    public ClickHouseOptions Options => options;

    public IReadOnlyList<ClickHouseHttp> Shards => shards;

    /// <summary>Shards whose last insert or probe failed (their events wait in the spool).</summary>
    public IReadOnlyList<string> UnreachableShards => shards.Where((_, i) => !Volatile.Read(ref reachable[i])).Select(s => s.Endpoint.ToString()).ToList();

    /// <summary>Creates the tables on every shard (and the Distributed table over them); safe to run again.</summary>
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        var copied = new bool[shards.Length];
        for (var i = 0; i < shards.Length; i++)
        {
            await shards[i].ExecuteAsync($"CREATE DATABASE IF NOT EXISTS {options.Database}", cancellationToken, databaseless: true);
            copied[i] = await shards[i].ScalarAsync($"EXISTS TABLE {options.Database}.midnight_copied", cancellationToken) == 1;
        }
        await CreateTablesAsync(cancellationToken);
        // The midnight view copies new events only, so a shard's stored ones are copied here, and midnight_copied says
        // it was done. A run that dies before that copies again next time: a row there twice changes no reader's
        // answer (sets, any() and max() per person), nor does an event inserted meanwhile that the view copied too.
        for (var i = 0; i < shards.Length; i++)
        {
            if (copied[i]) continue;
            await shards[i].ExecuteAsync(
                $"INSERT INTO {options.Database}.midnight_local {ClickHouseSchema.MidnightRows(options.Database + ".events_local")}", cancellationToken);
            await shards[i].ExecuteAsync($"CREATE TABLE IF NOT EXISTS {options.Database}.midnight_copied (done UInt8) ENGINE = TinyLog", cancellationToken);
        }
    }

    /// <summary>The tables, views and the Distributed tables, each statement on every shard; safe to run again.</summary>
    internal async Task CreateTablesAsync(CancellationToken cancellationToken)
    {
        var statements = ClickHouseSchema.Statements(options);
        if (options.Sharded)
        {
            // Each shard gets its own statements (rather than ON CLUSTER, which needs ZooKeeper on 18.16).
            foreach (var shard in shards)
                foreach (var statement in statements)
                    await shard.ExecuteAsync(statement.Replace($" ON CLUSTER {options.Cluster}", "", StringComparison.Ordinal), cancellationToken);
        }
        else
        {
            foreach (var statement in statements) await shards[0].ExecuteAsync(statement, cancellationToken);
        }
    }

    /// <summary>Asks each shard not yet asked how far this node's events go there; a shard that does not answer stays unknown.</summary>
    async Task LoadMarksAsync(CancellationToken cancellationToken)
    {
        for (var i = 0; i < shards.Length; i++)
        {
            if (known[i]) continue;
            try
            {
                marks[i] = await shards[i].ScalarAsync($"SELECT max(seq) FROM events_local WHERE node = {options.NodeId}", cancellationToken);
                known[i] = true;
            }
            catch (Exception exception) when (exception is HttpRequestException or ClickHouseException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                Volatile.Write(ref reachable[i], false);
            }
        }
    }

    /// <summary>
    /// The highest sequence up to which every shard has all of this node's events (replay starts after it); 0 while a
    /// shard is unknown, so the whole spool is replayed and each shard skips what it has once it answers.
    /// </summary>
    public async Task<long> MaxSequenceAsync(CancellationToken cancellationToken)
    {
        await writing.WaitAsync(cancellationToken);
        try
        {
            await LoadMarksAsync(cancellationToken);
            return known.All(k => k) ? marks.Min() : 0;
        }
        finally
        {
            writing.Release();
        }
    }

    public async Task<long> HighestSequenceAsync(CancellationToken cancellationToken)
    {
        await writing.WaitAsync(cancellationToken);
        try
        {
            await LoadMarksAsync(cancellationToken);
            return Math.Max(sent, marks.Max());
        }
        finally
        {
            writing.Release();
        }
    }

    void NoteSent(long sequence)
    {
        if (sequence <= sent) return;
        sent = sequence;
        if (sentPath is null) return;
        var temporary = sentPath + ".tmp";
        File.WriteAllText(temporary, sequence.ToString(System.Globalization.CultureInfo.InvariantCulture));
        File.Move(temporary, sentPath, overwrite: true);
    }

    public Task AppendAsync(IReadOnlyList<EnrichedEvent> batch, CancellationToken cancellationToken) =>
        AppendAsync(EventColumns.From(batch), cancellationToken);

    /// <summary>Stores a batch: each shard's share as one INSERT, skipping what a shard already holds.</summary>
    public async Task AppendAsync(EventColumns batch, CancellationToken cancellationToken)
    {
        await writing.WaitAsync(cancellationToken);
        try
        {
            await LoadMarksAsync(cancellationToken);
            var failures = new List<Exception>();
            // The highest sequence, not the last: a migration slice need not be sorted (see EventMigration).
            var top = 0L;
            foreach (var sequence in batch.Sequence) top = Math.Max(top, sequence);
            if (batch.Count > 0) NoteSent(top);
            for (var shard = 0; shard < shards.Length; shard++)
            {
                if (!known[shard])
                {
                    failures.Add(new ClickHouseException($"Shard {shards[shard].Endpoint} is unreachable."));
                    continue;
                }
                shardRows.Clear();
                long last = 0;
                for (var row = 0; row < batch.Count; row++)
                {
                    var sequence = batch.Sequence[row];
                    if (ClickHouseSchema.ShardOf(batch.VisitorId[row], shards.Length) != shard || sequence <= marks[shard]) continue;
                    shardRows.Add(row);
                    last = Math.Max(last, sequence);
                }
                var count = shardRows.Count;
                if (count == 0) continue;
                rows.Write(batch, CollectionsMarshal.AsSpan(shardRows), options.NodeId);
                try
                {
                    await shards[shard].InsertNativeAsync("events_local", ClickHouseSchema.ColumnList, rows.Buffer, rows.Length, cancellationToken);
                    marks[shard] = Math.Max(marks[shard], last);
                    Interlocked.Add(ref written, count);
                    Volatile.Write(ref reachable[shard], true);
                }
                catch (Exception exception) when (exception is HttpRequestException or ClickHouseException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    Volatile.Write(ref reachable[shard], false);
                    failures.Add(new ClickHouseException($"Shard {shards[shard].Endpoint}: {exception.Message}"));
                }
            }
            if (failures.Count > 0) throw new AggregateException("Some shards did not take the batch; it stays in the spool and is retried.", failures);
            if (batch.Count > 0) Interlocked.Exchange(ref appended, Math.Max(Interlocked.Read(ref appended), top));
        }
        finally
        {
            writing.Release();
        }
    }

    /// <summary>Visits are cut from the events when reports ask (see README, "Scale-out"), so there is nothing to build.</summary>
    public Task<long> RefreshVisitsAsync(CancellationToken cancellationToken) =>
        Task.FromResult(Math.Max(Interlocked.Read(ref appended), marks.Max()));

    /// <summary>Events of a site across the shards (the Distributed table when sharded).</summary>
    public Task<long> CountEventsAsync(int siteId, CancellationToken cancellationToken) =>
        shards[0].ScalarAsync($"SELECT count() FROM {options.EventsTable} WHERE site_id = {siteId}", cancellationToken);
}
