using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using Panorama.Core.Data;
using Panorama.Core.Privacy;
using Panorama.Storage.DuckDb;
using Panorama.Tests.Support;

namespace Panorama.Tests.Unit;

public class SaltStoreTests : IDisposable
{
    readonly TempDirectory folder = new();
    readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero));
    readonly IDbContextFactory<PanoramaDbContext> databases;

    public SaltStoreTests()
    {
        var options = new DbContextOptionsBuilder<PanoramaDbContext>().UseSqlite(EmbeddedStorage.RelationalConnectionString(folder.Path)).Options;
        databases = new PooledDbContextFactory<PanoramaDbContext>(options);
        EmbeddedStorage.InitializeRelational(databases);
    }

    [Fact]
    public void ForDay_SameDay_SameSaltAcrossInstances()
    {
        var day = new DateOnly(2026, 11, 20);
        var first = new SaltStore(databases, time).ForDay(day);
        var second = new SaltStore(databases, time).ForDay(day);
        Assert.Equal(16, first.Length);
        Assert.Equal(first, second);
    }

    [Fact]
    public void ForDay_DifferentDays_DifferentSalts()
    {
        var store = new SaltStore(databases, time);
        Assert.NotEqual(store.ForDay(new DateOnly(2026, 11, 20)), store.ForDay(new DateOnly(2026, 11, 19)));
    }

    [Fact]
    public void DeleteExpired_After48Hours_SaltIsGoneAndReplaced()
    {
        var store = new SaltStore(databases, time);
        var day = new DateOnly(2026, 11, 20);
        var original = store.ForDay(day);

        time.Advance(TimeSpan.FromHours(47));
        Assert.Equal(0, store.DeleteExpired());
        Assert.Equal(original, store.ForDay(day));

        time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1, store.DeleteExpired());
        using (var db = databases.CreateDbContext()) Assert.Empty(db.Salts);
        Assert.NotEqual(original, store.ForDay(day));
    }

    public void Dispose() => folder.Dispose();
}
