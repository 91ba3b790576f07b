using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Panorama.Core.Data;

namespace Panorama.Core.Access;

/// <summary>Creates and verifies API keys. Keys are random 256-bit secrets; only their hash is stored.</summary>
public sealed class ApiKeyService(IDbContextFactory<PanoramaDbContext> databases, TimeProvider time)
{
    const string KeyPrefix = "pk_";
    static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(30);

    // Backfills send thousands of authorised events a second; verify each secret against the database once.
    readonly System.Collections.Concurrent.ConcurrentDictionary<string, (ApiKey? Key, DateTimeOffset CheckedAt)> verified = new();

    /// <summary>Creates a key and returns its secret, which is not stored and cannot be shown again.</summary>
    public (ApiKey Key, string Secret) Create(string name, IReadOnlyCollection<int>? siteIds = null, string? createdByUserId = null)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("A key needs a name.", nameof(name));
        var secret = KeyPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var key = new ApiKey
        {
            Name = name.Trim(),
            Prefix = secret[..10],
            Hash = HashOf(secret),
            SiteScope = siteIds is { Count: > 0 } ? string.Join(',', siteIds.Order()) : "",
            CreatedAt = time.GetUtcNow(),
            CreatedByUserId = createdByUserId,
        };
        using var db = databases.CreateDbContext();
        db.ApiKeys.Add(key);
        db.SaveChanges();
        return (key, secret);
    }

    /// <summary>The key whose secret this is, or null.</summary>
    public ApiKey? Verify(string? secret)
    {
        if (string.IsNullOrEmpty(secret) || !secret.StartsWith(KeyPrefix, StringComparison.Ordinal) || secret.Length > 200) return null;
        var hash = HashOf(secret);
        var now = time.GetUtcNow();
        if (verified.TryGetValue(hash, out var cached) && now - cached.CheckedAt < CacheLifetime) return cached.Key;
        using var db = databases.CreateDbContext();
        var key = db.ApiKeys.AsNoTracking().FirstOrDefault(k => k.Hash == hash);
        if (verified.Count > 10_000) verified.Clear();
        verified[hash] = (key, now);
        return key;
    }

    public IReadOnlyList<ApiKey> All()
    {
        using var db = databases.CreateDbContext();
        return db.ApiKeys.AsNoTracking().OrderBy(k => k.Id).ToList();
    }

    public IReadOnlyList<ApiKey> CreatedBy(string userId)
    {
        using var db = databases.CreateDbContext();
        return db.ApiKeys.AsNoTracking().Where(k => k.CreatedByUserId == userId).OrderBy(k => k.Id).ToList();
    }

    /// <summary>Deletes a key; it stops working at once in this process (other nodes within the cache lifetime).</summary>
    public bool Delete(int id, string? createdByUserId)
    {
        using var db = databases.CreateDbContext();
        var key = db.ApiKeys.FirstOrDefault(k => k.Id == id && (createdByUserId == null || k.CreatedByUserId == createdByUserId));
        if (key is null) return false;
        db.ApiKeys.Remove(key);
        db.SaveChanges();
        verified.TryRemove(key.Hash, out _);
        return true;
    }

    /// <summary>
    /// Takes a deleted site out of the keys' scopes in the caller's transaction; a key that read only that site is deleted
    /// (an empty scope would mean every site). Returns the keys deleted.
    /// </summary>
    public int ForgetSite(PanoramaDbContext db, int siteId)
    {
        var id = siteId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var deleted = 0;
        foreach (var key in db.ApiKeys.Where(k => k.SiteScope != "").ToList().Where(k => k.SiteIds.Contains(siteId)))
        {
            var rest = key.SiteScope.Split(',').Where(scoped => scoped != id).ToList();
            if (rest.Count == 0)
            {
                db.ApiKeys.Remove(key);
                deleted++;
            }
            else key.SiteScope = string.Join(',', rest);
        }
        db.SaveChanges();
        verified.Clear();
        return deleted;
    }

    static string HashOf(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
