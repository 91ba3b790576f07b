using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Panorama.Core.Ingestion;

namespace Panorama.Storage.ClickHouse;

/// <summary>
/// Copies an embedded install's events into ClickHouse in large Native-format batches, under one node number of its own.
/// Resumable: the shards say how far they got, and a batch a shard already holds is skipped, so a rerun after an
/// interruption stores nothing twice. Verified at the end by comparing event counts per site and day.
/// </summary>
public sealed class EventMigration(ClickHouseEventStore target)
{
    readonly ConcurrentQueue<EventColumns> spent = new();

    public sealed record Progress(long Copied, long Total, double RowsPerSecond);

    public sealed record Mismatch(int SiteId, DateOnly Day, long Source, long Target);

    /// <summary>
    /// An empty batch for the source to read into: one already copied, when there is one. A migration's slices are large,
    /// and growing fresh buffers for each cost more client CPU (page faults, copies) than encoding them.
    /// </summary>
    public EventColumns NewBatch()
    {
        if (!spent.TryDequeue(out var batch)) return new EventColumns();
        batch.Clear();
        return batch;
    }

    /// <summary>The sequence to continue after (0 on a fresh target).</summary>
    public Task<long> ResumeAfterAsync(CancellationToken cancellationToken) => target.MaxSequenceAsync(cancellationToken);

    /// <summary>
    /// Copies the events, one INSERT per shard per batch; returns how many were inserted (those a shard already held are
    /// skipped). Each batch must hold every source event in its sequence range (in any order), and the ranges must
    /// rise from batch to batch: a shard's highest sequence then says that it holds everything of its own below it.
    /// Reading the source and inserting overlap: the next batch is read while the last one is being sent.
    /// </summary>
    public async Task<long> CopyAsync(IEnumerable<EventColumns> source, long total, Action<Progress>? report, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var writtenBefore = target.RowsWritten;
        var batches = System.Threading.Channels.Channel.CreateBounded<EventColumns>(2);
        var reader = Task.Run(async () =>
        {
            try
            {
                foreach (var batch in source) await batches.Writer.WriteAsync(batch, cancellationToken);
                batches.Writer.Complete();
            }
            catch (Exception exception)
            {
                batches.Writer.Complete(exception);
            }
        }, cancellationToken);
        long copied = 0;
        await foreach (var batch in batches.Reader.ReadAllAsync(cancellationToken))
        {
            await target.AppendAsync(batch, cancellationToken);
            copied += batch.Count;
            spent.Enqueue(batch);
            report?.Invoke(new Progress(copied, total, copied / Math.Max(clock.Elapsed.TotalSeconds, 1e-3)));
        }
        await reader;
        if (copied == 0) report?.Invoke(new Progress(0, total, 0));
        return target.RowsWritten - writtenBefore;
    }

    /// <summary>Days whose event count differs between the source and this node's events in ClickHouse; empty when the copy is whole.</summary>
    public async Task<IReadOnlyList<Mismatch>> VerifyAsync(IReadOnlyDictionary<(int SiteId, DateOnly Day), long> source, CancellationToken cancellationToken)
    {
        var copied = new Dictionary<(int, DateOnly), long>();
        var rows = await target.Shards[0].QueryAsync(
            $"SELECT site_id, toDate(ts), count() FROM {target.Options.EventsTable} WHERE node = {target.Options.NodeId} GROUP BY site_id, toDate(ts)", cancellationToken);
        foreach (var row in rows)
            copied[(int.Parse(row[0], CultureInfo.InvariantCulture), DateOnly.ParseExact(row[1], "yyyy-MM-dd", CultureInfo.InvariantCulture))] = long.Parse(row[2], CultureInfo.InvariantCulture);
        return source.Keys.Union(copied.Keys)
            .Select(key => new Mismatch(key.Item1, key.Item2, source.GetValueOrDefault(key), copied.GetValueOrDefault(key)))
            .Where(m => m.Source != m.Target)
            .OrderBy(m => m.SiteId).ThenBy(m => m.Day)
            .ToList();
    }
}
