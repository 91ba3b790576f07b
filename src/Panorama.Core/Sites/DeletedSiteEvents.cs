using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Panorama.Core.Data;
using Panorama.Core.Ingestion;

namespace Panorama.Core.Sites;

/// <summary>
/// Drops a deleted site's events from a load before the store gets them: events another node accepted before its cache
/// forgot the site, or that a restart replays from the spool. Asks the database once a load (a load is at most one a
/// second); a deletion is never undone, so the deleted ids found are remembered.
/// </summary>
public sealed class DeletedSiteEvents(IDbContextFactory<PanoramaDbContext> databases, ILogger<DeletedSiteEvents> logger)
{
    readonly ConcurrentDictionary<int, bool> deleted = new();

    public IReadOnlyList<EnrichedEvent> Without(IReadOnlyList<EnrichedEvent> batch)
    {
        var sites = new HashSet<int>();
        foreach (var e in batch) sites.Add(e.SiteId);
        var unknown = sites.Where(id => !deleted.ContainsKey(id)).ToList();
        if (unknown.Count > 0)
        {
            try
            {
                using var db = databases.CreateDbContext();
                foreach (var id in db.DeletedSites.AsNoTracking().Where(d => unknown.Contains(d.SiteId)).Select(d => d.SiteId).ToList())
                    deleted[id] = true;
            }
            catch (Exception exception)
            {
                // The store still gets the load; the deletion's second pass removes what this let through.
                logger.LogWarning(exception, "Could not check the load for deleted sites");
            }
        }
        if (!sites.Any(deleted.ContainsKey)) return batch;
        var kept = batch.Where(e => !deleted.ContainsKey(e.SiteId)).ToList();
        logger.LogInformation("Dropped {Count} events of deleted sites", batch.Count - kept.Count);
        return kept;
    }
}
