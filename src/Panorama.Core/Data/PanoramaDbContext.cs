using Microsoft.EntityFrameworkCore;
using Panorama.Core.Access;
using Panorama.Core.Goals;
using Panorama.Core.Privacy;
using Panorama.Core.Sites;

namespace Panorama.Core.Data;

/// <summary>The relational half: sites, keys, salts (and later accounts and the department).</summary>
public sealed class PanoramaDbContext(DbContextOptions<PanoramaDbContext> options) : DbContext(options)
{
    public DbSet<Site> Sites => Set<Site>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<DailySalt> Salts => Set<DailySalt>();
    public DbSet<Goal> Goals => Set<Goal>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Stored as a sortable number so every provider (SQLite included) can compare dates in SQL.
        configurationBuilder.Properties<DateTimeOffset>()
            .HaveConversion<Microsoft.EntityFrameworkCore.Storage.ValueConversion.DateTimeOffsetToBinaryConverter>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Site>(site =>
        {
            site.HasIndex(s => s.Domain).IsUnique();
            site.HasIndex(s => s.PublicId).IsUnique();
            site.Property(s => s.Domain).HasMaxLength(SiteDomain.MaxLength);
        });
        modelBuilder.Entity<ApiKey>(key => key.HasIndex(k => k.Hash).IsUnique());
        modelBuilder.Entity<DailySalt>(salt => salt.HasKey(s => s.Day));
        modelBuilder.Entity<Goal>(goal =>
        {
            goal.HasIndex(g => g.SiteId);
            goal.Ignore(g => g.DisplayName);
        });
    }
}
