using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Panorama.Core.Data;

namespace Panorama.Core.EmailReports;

/// <summary>Who receives which of a site's email reports, and which periods were sent.</summary>
public sealed class EmailSubscriptions(IDbContextFactory<PanoramaDbContext> databases, TimeProvider time)
{
    public const int MaxPerSite = 50;

    /// <summary>A site's subscriptions; with null, the department digest's.</summary>
    public IReadOnlyList<EmailSubscription> For(int? siteId)
    {
        using var db = databases.CreateDbContext();
        return db.EmailSubscriptions.AsNoTracking().Where(s => s.SiteId == siteId).OrderBy(s => s.Kind).ThenBy(s => s.Email).ToList();
    }

    public IReadOnlyList<EmailSubscription> All()
    {
        using var db = databases.CreateDbContext();
        return db.EmailSubscriptions.AsNoTracking().OrderBy(s => s.Id).ToList();
    }

    /// <summary>Adds a recipient; an address already receiving that kind gets the new language and threshold instead.</summary>
    public EmailSubscription Add(int? siteId, EmailReportKind kind, string? email, string? language, int? threshold)
    {
        var address = email?.Trim() ?? "";
        if (address.Length is 0 or > 254 || !System.Net.Mail.MailAddress.TryCreate(address, out var parsed) || parsed.Address != address || !address.Contains('.', StringComparison.Ordinal))
            throw new ArgumentException($"'{address}' is not an email address.");
        if (!Enum.IsDefined(kind) || (kind == EmailReportKind.DepartmentDigest) != (siteId is null)) throw new ArgumentException("Unknown kind of report.");
        if (kind == EmailReportKind.Spike && threshold is not (>= 1 and <= 10_000_000))
            throw new ArgumentException("A traffic spike needs a number of current visitors from 1 to 10000000.");
        if (kind == EmailReportKind.Drop && threshold is not (>= 1 and <= 10_000_000))
            throw new ArgumentException("A traffic drop needs a number of visitors in 12 hours from 1 to 10000000.");
        using var db = databases.CreateDbContext();
        var existing = db.EmailSubscriptions.Where(s => s.SiteId == siteId && s.Kind == kind).AsEnumerable()
            .FirstOrDefault(s => string.Equals(s.Email, address, StringComparison.OrdinalIgnoreCase));
        // Digests go to accounts' own addresses only, so their number is the accounts'.
        if (siteId is not null && existing is null && db.EmailSubscriptions.Count(s => s.SiteId == siteId) >= MaxPerSite)
            throw new ArgumentException($"A site has at most {MaxPerSite} email recipients.");
        var subscription = existing ?? new EmailSubscription
        {
            SiteId = siteId, Kind = kind, Email = address, CreatedAt = time.GetUtcNow(),
            UnsubscribeToken = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
        };
        subscription.Language = language == "ru" ? "ru" : "en";
        subscription.Threshold = kind.IsAlert() ? threshold : null;
        if (existing is null) db.EmailSubscriptions.Add(subscription);
        db.SaveChanges();
        return subscription;
    }

    public bool Remove(int? siteId, int id)
    {
        using var db = databases.CreateDbContext();
        return Delete(db, db.EmailSubscriptions.Where(s => s.Id == id && s.SiteId == siteId)) > 0;
    }

    public EmailSubscription? FindByToken(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length != 32) return null;
        using var db = databases.CreateDbContext();
        return db.EmailSubscriptions.AsNoTracking().FirstOrDefault(s => s.UnsubscribeToken == token);
    }

    public bool Unsubscribe(string? token)
    {
        if (FindByToken(token) is not { } subscription) return false;
        using var db = databases.CreateDbContext();
        return Delete(db, db.EmailSubscriptions.Where(s => s.Id == subscription.Id)) > 0;
    }

    /// <summary>Deletes a site's subscriptions and their deliveries, inside the caller's transaction.</summary>
    public static void ForgetSite(PanoramaDbContext db, int siteId) => Delete(db, db.EmailSubscriptions.Where(s => s.SiteId == siteId));

    static int Delete(PanoramaDbContext db, IQueryable<EmailSubscription> subscriptions)
    {
        var ids = subscriptions.Select(s => s.Id).ToList();
        db.EmailDeliveries.Where(d => ids.Contains(d.SubscriptionId)).ExecuteDelete();
        return db.EmailSubscriptions.Where(s => ids.Contains(s.Id)).ExecuteDelete();
    }

    /// <summary>
    /// Records that this node sends the subscription's report for the period. False when one is already recorded: another node
    /// sends it, or it was sent.
    /// </summary>
    public bool Claim(int subscriptionId, string period, DateTimeOffset at)
    {
        using var db = databases.CreateDbContext();
        db.EmailDeliveries.Add(new EmailDelivery { SubscriptionId = subscriptionId, Period = period, SentAt = at });
        try
        {
            db.SaveChanges();
            return true;
        }
        catch (DbUpdateException)
        {
            return false;
        }
    }

    /// <summary>Which of these (subscription, period) pairs are claimed already.</summary>
    public HashSet<(int SubscriptionId, string Period)> Delivered(IReadOnlyCollection<(int SubscriptionId, string Period)> candidates)
    {
        if (candidates.Count == 0) return [];
        var ids = candidates.Select(c => c.SubscriptionId).Distinct().ToList();
        var periods = candidates.Select(c => c.Period).Distinct().ToList();
        using var db = databases.CreateDbContext();
        return db.EmailDeliveries.AsNoTracking().Where(d => ids.Contains(d.SubscriptionId) && periods.Contains(d.Period))
            .Select(d => new { d.SubscriptionId, d.Period }).AsEnumerable().Select(d => (d.SubscriptionId, d.Period)).ToHashSet();
    }

    /// <summary>Undoes a claim whose message could not be sent, so that the next run tries again.</summary>
    public void Release(int subscriptionId, string period)
    {
        using var db = databases.CreateDbContext();
        db.EmailDeliveries.Where(d => d.SubscriptionId == subscriptionId && d.Period == period).ExecuteDelete();
    }

    /// <summary>
    /// Forgets deliveries older than <paramref name="before"/>: only each subscription's latest period (a month at most) and the
    /// last 12 hours' alerts decide what is sent, so older rows only grow the table.
    /// </summary>
    public int Prune(DateTimeOffset before)
    {
        using var db = databases.CreateDbContext();
        return db.EmailDeliveries.Where(d => d.SentAt < before).ExecuteDelete();
    }

    /// <summary>When each of these subscriptions last had a message sent.</summary>
    public IReadOnlyDictionary<int, DateTimeOffset> LastSent(IEnumerable<int> subscriptionIds)
    {
        var ids = subscriptionIds.ToList();
        using var db = databases.CreateDbContext();
        return db.EmailDeliveries.AsNoTracking().Where(d => ids.Contains(d.SubscriptionId)).AsEnumerable()
            .GroupBy(d => d.SubscriptionId).ToDictionary(g => g.Key, g => g.Max(d => d.SentAt));
    }
}
