using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Panorama.Core.Data;

namespace Panorama.Core.Sites;

/// <summary>
/// Sites by domain or public id, cached because every ingested event looks one up. Misses are cached
/// briefly so a flood of events for an unknown domain cannot hammer the database, while a site added
/// from the CLI to a running server is seen within seconds; a site found is read again after half a minute,
/// so a change made on another node (its exclusions) reaches this one.
/// </summary>
public sealed class SiteDirectory(IDbContextFactory<PanoramaDbContext> databases, TimeProvider time)
{
    static readonly TimeSpan MissLifetime = TimeSpan.FromSeconds(3);
    static readonly TimeSpan HitLifetime = TimeSpan.FromSeconds(30);

    /// <summary>How long a changed domain's old name still reaches its site (trackers not yet updated, API clients), as Plausible does.</summary>
    public static readonly TimeSpan DomainTransition = TimeSpan.FromHours(72);
    readonly ConcurrentDictionary<string, (Site? Site, DateTimeOffset CheckedAt)> byDomain = new();

    public Site? FindByDomain(string domain)
    {
        var now = time.GetUtcNow();
        if (byDomain.TryGetValue(domain, out var cached) && now - cached.CheckedAt < (cached.Site is null ? MissLifetime : HitLifetime))
            return cached.Site;
        using var db = databases.CreateDbContext();
        // One query for both: a site's own domain first, else the site whose old domain it still is.
        var candidates = db.Sites.AsNoTracking().Where(s => s.Domain == domain || s.PreviousDomain == domain).ToList();
        var site = candidates.FirstOrDefault(s => s.Domain == domain) ?? candidates.FirstOrDefault(s => InTransition(s, now));
        byDomain[domain] = (site, now);
        return site;
    }

    bool InTransition(Site site, DateTimeOffset now) => site.DomainChangedAt is { } changed && now - changed < DomainTransition;

    public Site? FindByPublicId(Guid publicId)
    {
        var now = time.GetUtcNow();
        foreach (var entry in byDomain.Values)
            if (entry.Site?.PublicId == publicId && now - entry.CheckedAt < HitLifetime) return entry.Site;
        using var db = databases.CreateDbContext();
        var site = db.Sites.AsNoTracking().FirstOrDefault(s => s.PublicId == publicId);
        if (site is not null) byDomain[site.Domain] = (site, time.GetUtcNow());
        return site;
    }

    public Site? FindById(int id)
    {
        var now = time.GetUtcNow();
        foreach (var entry in byDomain.Values)
            if (entry.Site?.Id == id && now - entry.CheckedAt < HitLifetime) return entry.Site;
        using var db = databases.CreateDbContext();
        var site = db.Sites.AsNoTracking().FirstOrDefault(s => s.Id == id);
        if (site is not null) byDomain[site.Domain] = (site, now);
        return site;
    }

    public IReadOnlyList<Site> All()
    {
        using var db = databases.CreateDbContext();
        return db.Sites.AsNoTracking().OrderBy(s => s.Domain).ToList();
    }

    /// <summary>Changes the zone a site's days are counted in; every report, past periods included, follows it.</summary>
    public Site SetTimeZone(int siteId, string timeZone)
    {
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out _)) throw new ArgumentException($"Unknown time zone '{timeZone}'.", nameof(timeZone));
        return Update(siteId, site => site.TimeZone = timeZone);
    }

    /// <summary>Saves a site's exclusions (validated with <see cref="SiteShield.Validate"/>); this node applies them at once.</summary>
    public Site SaveExclusions(int siteId, string? excludedIps, string? excludedPages, string? allowedHostnames, string? excludedCountries)
    {
        var errors = SiteShield.Validate(excludedIps, excludedPages, allowedHostnames, excludedCountries);
        if (errors.Count > 0) throw new ArgumentException(string.Join(" ", errors));
        return Update(siteId, site =>
        {
            site.ExcludedIps = SiteShield.Normalize(excludedIps);
            site.ExcludedPages = SiteShield.Normalize(excludedPages);
            site.AllowedHostnames = SiteShield.Normalize(allowedHostnames);
            site.ExcludedCountries = SiteShield.Normalize(excludedCountries?.ToUpperInvariant());
        });
    }

    /// <summary>Adds a custom property to those the dashboard offers; false when it was there already.</summary>
    public bool ShowProperty(int siteId, string property)
    {
        property = ValidProperty(property);
        var added = false;
        Update(siteId, site =>
        {
            var shown = site.ShownPropertyList.ToList();
            if (shown.Contains(property, StringComparer.Ordinal)) return;
            shown.Add(property);
            site.ShownProperties = string.Join('\n', shown);
            added = true;
        });
        return added;
    }

    /// <summary>Takes a custom property off those the dashboard offers (none left: it offers every one); false when it was not there.</summary>
    public bool HideProperty(int siteId, string property)
    {
        property = ValidProperty(property);
        var removed = false;
        Update(siteId, site =>
        {
            var shown = site.ShownPropertyList.ToList();
            if (!shown.Remove(property)) return;
            site.ShownProperties = shown.Count == 0 ? null : string.Join('\n', shown);
            removed = true;
        });
        return removed;
    }

    /// <summary>Sets the whole list at once, one a line (the settings form); blank lines and repeats dropped, empty: every property.</summary>
    public Site SetShownProperties(int siteId, string? lines)
    {
        var shown = (lines ?? "").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).Select(ValidProperty).Distinct(StringComparer.Ordinal).ToList();
        return Update(siteId, site => site.ShownProperties = shown.Count == 0 ? null : string.Join('\n', shown));
    }

    /// <summary>A property name as events carry it: 1 to 300 characters on one line (Plausible's limit).</summary>
    static string ValidProperty(string property)
    {
        property = property.Trim();
        if (property.Length is 0 or > 300 || property.Contains('\n') || property.Contains('\r'))
            throw new ArgumentException("A custom property's name is 1 to 300 characters on one line.");
        return property;
    }

    /// <summary>
    /// Gives a site a new domain, keeping its data. The old one still reaches the site for <see cref="DomainTransition"/>;
    /// a domain another site has (or had within its transition) is refused, though a site may take back its own old one.
    /// </summary>
    public Site ChangeDomain(int siteId, string newDomain)
    {
        var normalized = SiteDomain.Normalize(newDomain) ?? throw new ArgumentException($"'{newDomain}' is not a valid domain.");
        var now = time.GetUtcNow();
        using (var db = databases.CreateDbContext())
        {
            var holders = db.Sites.AsNoTracking().Where(s => s.Id != siteId && (s.Domain == normalized || s.PreviousDomain == normalized)).ToList();
            if (holders.Any(s => s.Domain == normalized || InTransition(s, now)))
                throw new ArgumentException($"'{normalized}' belongs to another site.");
        }
        string? old = null;
        Site site;
        try
        {
            site = Update(siteId, site =>
            {
                if (site.Domain == normalized) return;
                old = site.Domain;
                (site.PreviousDomain, site.DomainChangedAt, site.Domain) = (site.Domain, now, normalized);
            });
        }
        catch (DbUpdateException)
        {
            // Another change took the domain between the check and the save (the unique index refused it).
            throw new ArgumentException($"'{normalized}' belongs to another site.");
        }
        if (old is not null) byDomain[old] = (site, now);
        return site;
    }

    /// <summary>Drops a deleted site from the cache: this node refuses its events at once, others within half a minute.</summary>
    public void Forget(Site site)
    {
        foreach (var (domain, entry) in byDomain)
            if (entry.Site?.Id == site.Id) byDomain.TryRemove(domain, out _);
    }

    /// <summary>Changes a site and puts the new version in the cache, so this node applies the change at once.</summary>
    Site Update(int siteId, Action<Site> change)
    {
        using var db = databases.CreateDbContext();
        var site = db.Sites.FirstOrDefault(s => s.Id == siteId) ?? throw new InvalidOperationException($"Site {siteId} does not exist.");
        change(site);
        db.SaveChanges();
        db.Entry(site).State = EntityState.Detached;
        byDomain[site.Domain] = (site, time.GetUtcNow());
        return site;
    }

    /// <summary>Registers a site; returns the existing one when the domain is already registered.</summary>
    public Site Add(string domain, string timeZone = "UTC")
    {
        var normalized = SiteDomain.Normalize(domain) ?? throw new ArgumentException($"'{domain}' is not a valid domain.", nameof(domain));
        _ = TimeZoneInfo.FindSystemTimeZoneById(timeZone);
        using var db = databases.CreateDbContext();
        var existing = db.Sites.AsNoTracking().FirstOrDefault(s => s.Domain == normalized);
        if (existing is not null) return existing;
        var now = time.GetUtcNow();
        if (db.Sites.AsNoTracking().Where(s => s.PreviousDomain == normalized).AsEnumerable().FirstOrDefault(s => InTransition(s, now)) is { } renamed)
            throw new ArgumentException($"'{normalized}' was {renamed.Domain}'s domain until {renamed.DomainChangedAt:yyyy-MM-dd HH:mm} UTC and reaches that " +
                $"site for {DomainTransition.TotalHours:0} hours after the change.");
        var site = new Site { Domain = normalized, TimeZone = timeZone, CreatedAt = time.GetUtcNow() };
        db.Sites.Add(site);
        db.SaveChanges();
        byDomain[normalized] = (site, time.GetUtcNow());
        return site;
    }
}
