using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Panorama.Core.Data;

namespace Panorama.Core.Accounts;

/// <summary>Invitations by link: the link carries a random token; the database keeps only its hash.</summary>
public sealed class Invitations(IDbContextFactory<PanoramaDbContext> databases, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    /// <summary>Creates an invitation and returns the token for the link (shown once).</summary>
    public (Invitation Invitation, string Token) Create(string email, int siteId, SiteRole role, string invitedByUserId)
    {
        if (role is SiteRole.Owner) throw new ArgumentException("Nobody can be invited as owner.", nameof(role));
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var now = time.GetUtcNow();
        var invitation = new Invitation
        {
            Email = email.Trim(), SiteId = siteId, Role = role, TokenHash = HashOf(token), InvitedByUserId = invitedByUserId,
            CreatedAt = now, ExpiresAt = now + Lifetime,
        };
        using var db = databases.CreateDbContext();
        db.Invitations.Add(invitation);
        db.SaveChanges();
        return (invitation, token);
    }

    /// <summary>The open (unexpired, unaccepted) invitation this token belongs to, or null.</summary>
    public Invitation? FindOpen(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 100) return null;
        var hash = HashOf(token);
        var now = time.GetUtcNow();
        using var db = databases.CreateDbContext();
        var invitation = db.Invitations.AsNoTracking().FirstOrDefault(i => i.TokenHash == hash);
        return invitation is null || invitation.AcceptedAt is not null || invitation.ExpiresAt <= now ? null : invitation;
    }

    public IReadOnlyList<Invitation> OpenFor(int siteId)
    {
        var now = time.GetUtcNow();
        using var db = databases.CreateDbContext();
        return db.Invitations.AsNoTracking().Where(i => i.SiteId == siteId && i.AcceptedAt == null).AsEnumerable()
            .Where(i => i.ExpiresAt > now).OrderBy(i => i.Email).ToList();
    }

    public void MarkAccepted(int invitationId)
    {
        using var db = databases.CreateDbContext();
        var invitation = db.Invitations.Single(i => i.Id == invitationId);
        invitation.AcceptedAt = time.GetUtcNow();
        db.SaveChanges();
    }

    public void Cancel(int invitationId, int siteId)
    {
        using var db = databases.CreateDbContext();
        db.Invitations.Where(i => i.Id == invitationId && i.SiteId == siteId).ExecuteDelete();
    }

    /// <summary>Cancels every invitation of the address to the site (open, spent or expired); the number cancelled.</summary>
    public int CancelFor(int siteId, string email)
    {
        using var db = databases.CreateDbContext();
        var ids = db.Invitations.AsNoTracking().Where(i => i.SiteId == siteId).AsEnumerable()
            .Where(i => string.Equals(i.Email, email.Trim(), StringComparison.OrdinalIgnoreCase)).Select(i => i.Id).ToList();
        return db.Invitations.Where(i => ids.Contains(i.Id)).ExecuteDelete();
    }

    static string HashOf(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
