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
}
