using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Panorama.Core.Data;

namespace Panorama.Core.Accounts;

/// <summary>Read-only dashboard links per site, optionally password-protected (the password hashed like an account's).</summary>
public sealed class SharedLinks(IDbContextFactory<PanoramaDbContext> databases, TimeProvider time)
{
    static readonly PasswordHasher<SharedLink> Hasher = new();

    public SharedLink Create(int siteId, string name, string? password)
    {
        var link = new SharedLink
        {
            SiteId = siteId,
            Name = string.IsNullOrWhiteSpace(name) ? "Shared link" : name.Trim(),
            Token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            CreatedAt = time.GetUtcNow(),
        };
        if (!string.IsNullOrEmpty(password)) link.PasswordHash = Hasher.HashPassword(link, password);
        using var db = databases.CreateDbContext();
        db.SharedLinks.Add(link);
        db.SaveChanges();
        return link;
    }

    public SharedLink? Find(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 64) return null;
        using var db = databases.CreateDbContext();
        return db.SharedLinks.AsNoTracking().FirstOrDefault(l => l.Token == token);
    }

    public static bool PasswordMatches(SharedLink link, string? password) =>
        link.PasswordHash is null ||
        (!string.IsNullOrEmpty(password) && Hasher.VerifyHashedPassword(link, link.PasswordHash, password) != PasswordVerificationResult.Failed);

    public IReadOnlyList<SharedLink> For(int siteId)
    {
        using var db = databases.CreateDbContext();
        return db.SharedLinks.AsNoTracking().Where(l => l.SiteId == siteId).OrderBy(l => l.Id).ToList();
    }

    public void Delete(int id, int siteId)
    {
        using var db = databases.CreateDbContext();
        db.SharedLinks.Where(l => l.Id == id && l.SiteId == siteId).ExecuteDelete();
    }
}
