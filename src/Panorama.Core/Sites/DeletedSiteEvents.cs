using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Panorama.Core.Data;
using Panorama.Core.Ingestion;

namespace Panorama.Core.Sites;

/// <summary>
/// Drops a deleted site's events from a load before the store gets them: events another node accepted before its cache
/// forgot the site, or that a restart replays from the spool. A deletion is never undone, so the deleted ids found are
/// remembered for good; a site found alive is asked about again after <see cref="Recheck"/> (events stored meanwhile
/// are the deletion's second pass's, <see cref="SiteDeletion.SweepAsync"/>).
/// </summary>
public sealed class DeletedSiteEvents(IDbContextFactory<PanoramaDbContext> databases, TimeProvider time, ILogger<DeletedSiteEvents> logger)
{
    public static readonly TimeSpan Recheck = TimeSpan.FromSeconds(10);

    readonly ConcurrentDictionary<int, bool> deleted = new();
    readonly ConcurrentDictionary<int, long> aliveAt = new();
    long dropped;

    /// <summary>Events dropped so far (for /metrics).</summary>
    public long Dropped => Interlocked.Read(ref dropped);

    /// <summary>A deletion made on this node: its loads drop the site's events at once.</summary>
    public void Deleted(int siteId) => deleted[siteId] = true;

    public IReadOnlyList<EnrichedEvent> Without(IReadOnlyList<EnrichedEvent> batch)
    {
        var sites = new HashSet<int>();
        foreach (var e in batch) sites.Add(e.SiteId);
        var unknown = sites.Where(id => !deleted.ContainsKey(id) && !(aliveAt.TryGetValue(id, out var at) && time.GetElapsedTime(at) < Recheck)).ToList();
        if (unknown.Count > 0)
        {
            try
            {
                using var db = databases.CreateDbContext();
                var now = time.GetTimestamp();
                foreach (var id in db.DeletedSites.AsNoTracking().Where(d => unknown.Contains(d.SiteId)).Select(d => d.SiteId).ToList())
                    deleted[id] = true;
                foreach (var id in unknown.Where(id => !deleted.ContainsKey(id))) aliveAt[id] = now;
            }
            catch (Exception exception)
            {
                // The store still gets the load; the deletion's second pass removes what this let through.
                logger.LogWarning(exception, "Could not check the load for deleted sites");
            }
        }
        if (!sites.Any(deleted.ContainsKey)) return batch;
        var kept = batch.Where(e => !deleted.ContainsKey(e.SiteId)).ToList();
        Interlocked.Add(ref dropped, batch.Count - kept.Count);
        logger.LogInformation("Dropped {Count} events of deleted sites", batch.Count - kept.Count);
        return kept;
    }
}
