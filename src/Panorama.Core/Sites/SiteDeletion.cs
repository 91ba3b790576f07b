using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Panorama.Core.Access;
using Panorama.Core.Accounts;
using Panorama.Core.Data;
using Panorama.Core.Ingestion;

namespace Panorama.Core.Sites;

/// <summary>
/// Resets a site's stats (its events and visits go, the site stays), or deletes the site with everything of it: its
/// events and visits in the event store, then in one transaction its goals, people, invitations, shared links and spend
/// (decisions stay in the register without the site; a key that read only this site is deleted, others lose it).
/// Events another node takes before its cache forgets the site (half a minute) are deleted by a second pass a minute
/// later; site ids are never reused, so none can reach a later site.
/// </summary>
public sealed class SiteDeletion(IDbContextFactory<PanoramaDbContext> databases, SiteDirectory sites, ApiKeyService keys, IEventSink store,
    EventBatchWriter writer, AccessAudit audit, TimeProvider time, ILogger<SiteDeletion> logger) : IDisposable
{
    public static readonly TimeSpan SecondPass = TimeSpan.FromMinutes(1);

    // Cancels the second passes still waiting when the server stops (before the store is disposed).
    readonly CancellationTokenSource stopping = new();

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
            db.SiteMembers.Where(m => m.SiteId == site.Id).ExecuteDelete();
            db.Invitations.Where(i => i.SiteId == site.Id).ExecuteDelete();
            db.SharedLinks.Where(l => l.SiteId == site.Id).ExecuteDelete();
            db.SpendRows.Where(r => r.SiteId == site.Id).ExecuteDelete();
            db.Decisions.Where(d => d.SiteId == site.Id).ExecuteUpdate(set => set.SetProperty(d => d.SiteId, (int?)null));
            keysDeleted = keys.ForgetSite(db, site.Id);
            db.Sites.Where(s => s.Id == site.Id).ExecuteDelete();
            transaction.Commit();
        }
        sites.Forget(site);
        audit.Record(actor, "deleted site", $"{site.Domain}: {events} events" + (keysDeleted > 0 ? $", {keysDeleted} API keys that read only it" : ""));
        _ = Task.Run(async () =>
        {
            try
            {
                await Task.Delay(SecondPass, time, stopping.Token);
                await writer.WaitUntilStoredAsync(stopping.Token);
                var late = await store.DeleteSiteAsync(site.Id, stopping.Token);
                if (late > 0) logger.LogInformation("Deleted {Events} events of deleted site {Domain} that arrived during its deletion", late, site.Domain);
            }
            catch (OperationCanceledException)
            {
                // The server stops.
            }
            catch (Exception exception)
            {
                logger.LogWarning(exception, "The second pass deleting site {Domain}'s events failed; they stay in the store, unreachable", site.Domain);
            }
        }, CancellationToken.None);
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

    // Only cancelled: a pass just woken may still read the token.
    public void Dispose() => stopping.Cancel();
}
