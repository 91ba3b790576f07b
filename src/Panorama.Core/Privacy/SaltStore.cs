using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Panorama.Core.Data;

namespace Panorama.Core.Privacy;

/// <summary>
/// One random salt per UTC day, shared by every node through the database. A salt is deleted 48 hours
/// after it was created, after which visitor hashes of that day can no longer be recomputed from an
/// IP address and User-Agent.
/// </summary>
public sealed class SaltStore(IDbContextFactory<PanoramaDbContext> databases, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(48);
    readonly ConcurrentDictionary<DateOnly, DailySalt> cache = new();
    readonly Lock creating = new();

    /// <summary>The salt of a day, created on first use (also for backfilled days).</summary>
    public byte[] ForDay(DateOnly day)
    {
        if (cache.TryGetValue(day, out var salt) && time.GetUtcNow() - salt.CreatedAt < Lifetime) return salt.Secret;
        lock (creating)
        {
            using var db = databases.CreateDbContext();
            var stored = db.Salts.AsNoTracking().FirstOrDefault(s => s.Day == day);
            if (stored is null || time.GetUtcNow() - stored.CreatedAt >= Lifetime)
            {
                if (stored is not null) db.Salts.Where(s => s.Day == day).ExecuteDelete();
                stored = new DailySalt { Day = day, Secret = RandomNumberGenerator.GetBytes(16), CreatedAt = time.GetUtcNow() };
                db.Salts.Add(stored);
                try
                {
                    db.SaveChanges();
                }
                catch (DbUpdateException)
                {
                    // Another node created it first: use theirs.
                    using var again = databases.CreateDbContext();
                    stored = again.Salts.AsNoTracking().First(s => s.Day == day);
                }
            }
            cache[day] = stored;
            return stored.Secret;
        }
    }

    /// <summary>Deletes salts older than <see cref="Lifetime"/>; returns how many were deleted.</summary>
    public int DeleteExpired()
    {
        var cutoff = time.GetUtcNow() - Lifetime;
        foreach (var (day, salt) in cache)
            if (salt.CreatedAt <= cutoff) cache.TryRemove(day, out _);
        using var db = databases.CreateDbContext();
        return db.Salts.Where(s => s.CreatedAt <= cutoff).ExecuteDelete();
    }
}
