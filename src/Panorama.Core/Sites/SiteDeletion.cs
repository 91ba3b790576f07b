using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Panorama.Core.Access;
using Panorama.Core.Accounts;
using Panorama.Core.Data;
using Panorama.Core.Ingestion;

namespace Panorama.Core.Sites;

/// <summary>
/// Resets a site's stats (its events and visits go, the site stays), or deletes the site with everything of it: its
/// events and visits in the event store, then in one transaction its goals, saved funnels and segments, people, invitations, shared links, spend and email
/// reports (decisions stay in the register without the site; a key that read only this site is deleted, others lose it), leaving a
/// <see cref="DeletedSite"/>. From then on every node's loads drop the site's events (<see cref="DeletedSiteEvents"/>), and
/// <see cref="SweepAsync"/> deletes what a node stored during the deletion, after <see cref="SecondPass"/>. Site ids are
/// never reused, so none can reach a later site.
/// </summary>
public sealed class SiteDeletion(IDbContextFactory<PanoramaDbContext> databases, SiteDirectory sites, ApiKeyService keys, IEventSink store,
    EventBatchWriter writer, DeletedSiteEvents deletedEvents, AccessAudit audit, TimeProvider time, ILogger<SiteDeletion> logger)
{
    /// <summary>Longer than a node takes to forget the site (half a minute) and to load what it accepted before.</summary>
    public static readonly TimeSpan SecondPass = TimeSpan.FromMinutes(1);

    /// <summary>Returns the events deleted. A store that fails leaves the site as it was, to be deleted again.</summary>
    public async Task<long> DeleteAsync(Site site, string actor, CancellationToken cancellationToken)
    {
        await writer.WaitUntilStoredAsync(cancellationToken);
        var events = await store.DeleteSiteAsync(site.Id, cancellationToken);
        int keysDeleted;
        using (var db = databases.CreateDbContext())
        using (var transaction = db.Database.BeginTransaction())
        {
            db.Goals.Where(g => g.SiteId == site.Id).ExecuteDelete();
            db.SavedViews.Where(v => v.SiteId == site.Id).ExecuteDelete();
            db.SiteMembers.Where(m => m.SiteId == site.Id).ExecuteDelete();
            db.Invitations.Where(i => i.SiteId == site.Id).ExecuteDelete();
            db.SharedLinks.Where(l => l.SiteId == site.Id).ExecuteDelete();
            db.SpendRows.Where(r => r.SiteId == site.Id).ExecuteDelete();
            EmailReports.EmailSubscriptions.ForgetSite(db, site.Id);
            db.Decisions.Where(d => d.SiteId == site.Id).ExecuteUpdate(set => set.SetProperty(d => d.SiteId, (int?)null));
            keysDeleted = keys.ForgetSite(db, site.Id);
            db.Sites.Where(s => s.Id == site.Id).ExecuteDelete();
            db.DeletedSites.Add(new DeletedSite { SiteId = site.Id, Domain = site.Domain, DeletedAt = time.GetUtcNow() });
            db.SaveChanges();
            transaction.Commit();
        }
        sites.Forget(site);
        deletedEvents.Deleted(site.Id);
        audit.Record(actor, "deleted site", $"{site.Domain}: {events} events" + (keysDeleted > 0 ? $", {keysDeleted} API keys that read only it" : ""));
        return events;
    }

    /// <summary>
    /// Deletes the site's events and visits and keeps the site with its settings (Plausible's "reset stats"); events sent
    /// from then on count. Returns the events deleted.
    /// </summary>
    public async Task<long> ResetAsync(Site site, string actor, CancellationToken cancellationToken)
    {
        await writer.WaitUntilStoredAsync(cancellationToken);
        var events = await store.DeleteSiteAsync(site.Id, cancellationToken);
        audit.Record(actor, "reset stats", $"{site.Domain}: {events} events");
        return events;
    }

    /// <summary>
    /// The second pass over every deletion at least <see cref="SecondPass"/> old and not yet swept; returns how many it swept.
    /// Several nodes may sweep one deletion at once: deleting what is already gone changes nothing.
    /// </summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        List<DeletedSite> due;
        var before = time.GetUtcNow() - SecondPass;
        using (var db = databases.CreateDbContext())
            due = db.DeletedSites.AsNoTracking().Where(d => d.SweptAt == null).AsEnumerable().Where(d => d.DeletedAt <= before).ToList();
        if (due.Count == 0) return 0;
        await writer.WaitUntilStoredAsync(cancellationToken);
        foreach (var deleted in due)
        {
            var late = await store.DeleteSiteAsync(deleted.SiteId, cancellationToken);
            if (late > 0) logger.LogInformation("Deleted {Events} events of deleted site {Domain} that arrived during its deletion", late, deleted.Domain);
            using var db = databases.CreateDbContext();
            db.DeletedSites.Where(d => d.SiteId == deleted.SiteId).ExecuteUpdate(set => set.SetProperty(d => d.SweptAt, time.GetUtcNow()));
        }
        return due.Count;
    }
}
