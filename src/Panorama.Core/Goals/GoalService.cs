using Microsoft.EntityFrameworkCore;
using Panorama.Core.Data;

namespace Panorama.Core.Goals;

/// <summary>Goals per site. Validation errors are <see cref="ArgumentException"/>s whose message names the field.</summary>
public sealed class GoalService(IDbContextFactory<PanoramaDbContext> databases, TimeProvider time)
{
    public IReadOnlyList<Goal> ForSite(int siteId)
    {
        using var db = databases.CreateDbContext();
        return db.Goals.AsNoTracking().Where(g => g.SiteId == siteId).OrderBy(g => g.Id).ToList();
    }

    public Goal Add(int siteId, string? pagePath, string? eventName, string? currency)
    {
        pagePath = string.IsNullOrWhiteSpace(pagePath) ? null : pagePath.Trim();
        eventName = string.IsNullOrWhiteSpace(eventName) ? null : eventName.Trim();
        currency = string.IsNullOrWhiteSpace(currency) ? null : currency.Trim().ToUpperInvariant();
        if ((pagePath is null) == (eventName is null)) throw new ArgumentException("A goal has either 'page_path' or 'event_name', not both.");
        if (pagePath is not null && (!pagePath.StartsWith('/') || pagePath.Length > 2000)) throw new ArgumentException("'page_path' must start with '/' (wildcards * and ** allowed).");
        if (eventName is not null && eventName.Length > 120) throw new ArgumentException("'event_name' is longer than 120 characters.");
        if (currency is not null && (eventName is null || currency.Length != 3 || !currency.All(char.IsAsciiLetterUpper)))
            throw new ArgumentException("'currency' is a 3-letter ISO 4217 code, and only custom-event goals carry revenue.");
        using var db = databases.CreateDbContext();
        var existing = db.Goals.AsNoTracking().FirstOrDefault(g => g.SiteId == siteId && g.PagePath == pagePath && g.EventName == eventName);
        if (existing is not null) return existing;
        var goal = new Goal { SiteId = siteId, PagePath = pagePath, EventName = eventName, Currency = currency, CreatedAt = time.GetUtcNow() };
        db.Goals.Add(goal);
        db.SaveChanges();
        return goal;
    }

    public bool Delete(int siteId, int goalId)
    {
        using var db = databases.CreateDbContext();
        return db.Goals.Where(g => g.SiteId == siteId && g.Id == goalId).ExecuteDelete() > 0;
    }
}
