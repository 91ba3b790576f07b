using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Panorama.Core.Data;

namespace Panorama.Core.Sites;

/// <summary>
/// Sites by domain or public id, cached because every ingested event looks one up. Misses are cached
/// briefly so a flood of events for an unknown domain cannot hammer the database, while a site added
/// from the CLI to a running server is seen within seconds.
/// </summary>
public sealed class SiteDirectory(IDbContextFactory<PanoramaDbContext> databases, TimeProvider time)
{
    static readonly TimeSpan MissLifetime = TimeSpan.FromSeconds(3);
    readonly ConcurrentDictionary<string, (Site? Site, DateTimeOffset CheckedAt)> byDomain = new();

    public Site? FindByDomain(string domain)
    {
        var now = time.GetUtcNow();
        if (byDomain.TryGetValue(domain, out var cached) && (cached.Site is not null || now - cached.CheckedAt < MissLifetime))
            return cached.Site;
        using var db = databases.CreateDbContext();
        var site = db.Sites.AsNoTracking().FirstOrDefault(s => s.Domain == domain);
        byDomain[domain] = (site, now);
        return site;
    }

    public Site? FindByPublicId(Guid publicId)
    {
        foreach (var entry in byDomain.Values)
            if (entry.Site?.PublicId == publicId) return entry.Site;
        using var db = databases.CreateDbContext();
        var site = db.Sites.AsNoTracking().FirstOrDefault(s => s.PublicId == publicId);
        if (site is not null) byDomain[site.Domain] = (site, time.GetUtcNow());
        return site;
    }

    public Site? FindById(int id)
    {
        foreach (var entry in byDomain.Values)
            if (entry.Site?.Id == id) return entry.Site;
        using var db = databases.CreateDbContext();
        return db.Sites.AsNoTracking().FirstOrDefault(s => s.Id == id);
    }

    public IReadOnlyList<Site> All()
    {
        using var db = databases.CreateDbContext();
        return db.Sites.AsNoTracking().OrderBy(s => s.Domain).ToList();
    }

    /// <summary>Registers a site; returns the existing one when the domain is already registered.</summary>
    public Site Add(string domain, string timeZone = "UTC")
    {
        var normalized = SiteDomain.Normalize(domain) ?? throw new ArgumentException($"'{domain}' is not a valid domain.", nameof(domain));
        _ = TimeZoneInfo.FindSystemTimeZoneById(timeZone);
        using var db = databases.CreateDbContext();
        var existing = db.Sites.AsNoTracking().FirstOrDefault(s => s.Domain == normalized);
        if (existing is not null) return existing;
        var site = new Site { Domain = normalized, TimeZone = timeZone, CreatedAt = time.GetUtcNow() };
        db.Sites.Add(site);
        db.SaveChanges();
        byDomain[normalized] = (site, time.GetUtcNow());
        return site;
    }
}
