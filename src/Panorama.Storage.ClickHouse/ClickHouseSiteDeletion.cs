namespace Panorama.Storage.ClickHouse;

public sealed partial class ClickHouseEventStore
{
    static readonly TimeSpan MutationPatience = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Deletes the site's rows from every table on every shard (ALTER … DELETE, a mutation: 18.16 has no lightweight
    /// delete) and waits until the shards have applied them; returns how many events there were.
    /// </summary>
    public async Task<long> DeleteSiteAsync(int siteId, CancellationToken cancellationToken)
    {
        long removed = 0;
        foreach (var shard in shards)
        {
            removed += await shard.ScalarAsync($"SELECT count() FROM {options.Database}.events_local WHERE site_id = {siteId}", cancellationToken);
            foreach (var table in new[] { "events_local", "midnight_local", "visits_local", "visit_builds" })
                await shard.ExecuteAsync($"ALTER TABLE {options.Database}.{table} DELETE WHERE site_id = {siteId}", cancellationToken);
        }
        var started = DateTime.UtcNow;
        foreach (var shard in shards)
            while (await shard.ScalarAsync($"SELECT count() FROM system.mutations WHERE database = '{options.Database}' AND is_done = 0", cancellationToken) > 0)
            {
                if (DateTime.UtcNow - started > MutationPatience)
                    throw new TimeoutException($"ClickHouse at {shard.Endpoint} has not finished deleting site {siteId}'s rows after {MutationPatience.TotalMinutes} minutes; it goes on in the background.");
                await Task.Delay(100, cancellationToken);
            }
        return removed;
    }
}
