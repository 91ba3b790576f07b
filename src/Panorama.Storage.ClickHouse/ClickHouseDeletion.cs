namespace Panorama.Storage.ClickHouse;

public sealed partial class ClickHouseEventStore
{
    static readonly TimeSpan MutationPatience = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Deletes the site's rows from every table on every shard (ALTER … DELETE, a mutation: 18.16 has no lightweight
    /// delete) and waits until the shards have applied them; returns how many events there were. A table with none of
    /// the site's rows gets no mutation, which on 18.16 would rewrite every part: a deletion's second pass usually finds none.
    /// </summary>
    public async Task<long> DeleteSiteAsync(int siteId, CancellationToken cancellationToken)
    {
        long removed = 0;
        var mutated = false;
        foreach (var shard in shards)
        {
            foreach (var table in new[] { "events_local", "midnight_local", "visits_local", "visit_builds" })
            {
                var rows = await shard.ScalarAsync($"SELECT count() FROM {options.Database}.{table} WHERE site_id = {siteId}", cancellationToken);
                if (table == "events_local") removed += rows;
                if (rows == 0) continue;
                await shard.ExecuteAsync($"ALTER TABLE {options.Database}.{table} DELETE WHERE site_id = {siteId}", cancellationToken);
                mutated = true;
            }
        }
        var started = DateTime.UtcNow;
        foreach (var shard in shards)
            while (mutated && await shard.ScalarAsync($"SELECT count() FROM system.mutations WHERE database = '{options.Database}' AND is_done = 0", cancellationToken) > 0)
            {
                if (DateTime.UtcNow - started > MutationPatience)
                    throw new TimeoutException($"ClickHouse at {shard.Endpoint} has not finished deleting site {siteId}'s rows after {MutationPatience.TotalMinutes} minutes; it goes on in the background.");
                await Task.Delay(100, cancellationToken);
            }
        return removed;
    }

    /// <summary>
    /// Retention: drops every month partition before the cutoff from the events, midnight and visit tables of every shard
    /// (a visit goes with the month of its last event's hour; visits built across the cutoff no longer match their
    /// window's count and are cut from the remaining events when asked), and deletes the visit builds of the hours before.
    /// Returns how many events went.
    /// </summary>
    public async Task<long> DeleteBeforeAsync(DateTime cutoff, CancellationToken cancellationToken)
    {
        var month = cutoff.Year * 100 + cutoff.Month;
        long removed = 0;
        foreach (var shard in shards)
            foreach (var table in new[] { "events_local", "midnight_local", "visits_local" })
            {
                var partitions = await shard.QueryAsync(
                    $"SELECT partition, sum(rows) FROM system.parts WHERE database = '{options.Database}' AND table = '{table}' AND active GROUP BY partition",
                    cancellationToken);
                foreach (var row in partitions.Where(row => int.TryParse(row[0], out var partition) && partition < month))
                {
                    await shard.ExecuteAsync($"ALTER TABLE {options.Database}.{table} DROP PARTITION {row[0]}", cancellationToken);
                    if (table == "events_local") removed += long.Parse(row[1], System.Globalization.CultureInfo.InvariantCulture);
                }
            }
        var hour = (long)(cutoff - DateTime.UnixEpoch).TotalHours;
        if (await shards[0].ScalarAsync($"SELECT count() FROM {options.Database}.visit_builds WHERE hour < {hour}", cancellationToken) > 0)
            await shards[0].ExecuteAsync($"ALTER TABLE {options.Database}.visit_builds DELETE WHERE hour < {hour}", cancellationToken);
        return removed;
    }
}
