using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Panorama.Core.Accounts;
using Panorama.Core.Access;
using Panorama.Core.Goals;
using Panorama.Core.Privacy;
using Panorama.Core.Sites;

namespace Panorama.Core.Data;

/// <summary>The relational half: accounts (Identity), sites, memberships, keys, salts, goals (and later the department).</summary>
public sealed class PanoramaDbContext(DbContextOptions<PanoramaDbContext> options) : IdentityDbContext<PanoramaUser>(options)
{
    public DbSet<Site> Sites => Set<Site>();
    public DbSet<DeletedSite> DeletedSites => Set<DeletedSite>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<DailySalt> Salts => Set<DailySalt>();
    public DbSet<Goal> Goals => Set<Goal>();
    public DbSet<SavedView> SavedViews => Set<SavedView>();
    public DbSet<SiteMember> SiteMembers => Set<SiteMember>();
    public DbSet<Invitation> Invitations => Set<Invitation>();
    public DbSet<SharedLink> SharedLinks => Set<SharedLink>();
    public DbSet<Department.DepartmentRevision> DepartmentRevisions => Set<Department.DepartmentRevision>();
    public DbSet<Decisions.Decision> Decisions => Set<Decisions.Decision>();
    public DbSet<Decisions.DecisionRevision> DecisionRevisions => Set<Decisions.DecisionRevision>();
    public DbSet<Spend.SpendRow> SpendRows => Set<Spend.SpendRow>();
    public DbSet<AccessAuditEntry> AccessAudit => Set<AccessAuditEntry>();
    public DbSet<EmailReports.EmailSubscription> EmailSubscriptions => Set<EmailReports.EmailSubscription>();
    public DbSet<EmailReports.EmailDelivery> EmailDeliveries => Set<EmailReports.EmailDelivery>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Stored as a sortable number so every provider (SQLite included) can compare dates in SQL.
        base.ConfigureConventions(configurationBuilder);
        configurationBuilder.Properties<DateTimeOffset>()
            .HaveConversion<Microsoft.EntityFrameworkCore.Storage.ValueConversion.DateTimeOffsetToBinaryConverter>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<Decisions.Decision>(decision => decision.Ignore(d => d.NeedsHeadApproval));
        modelBuilder.Entity<Decisions.DecisionRevision>(revision => revision.HasIndex(r => r.DecisionId));
        modelBuilder.Entity<Spend.SpendRow>(row =>
        {
            row.HasIndex(r => r.RowKey).IsUnique();
            row.HasIndex(r => new { r.SiteId, r.Day });
        });
        modelBuilder.Entity<SiteMember>(member => member.HasIndex(m => new { m.UserId, m.SiteId }).IsUnique());
        modelBuilder.Entity<Invitation>(invitation => invitation.HasIndex(i => i.TokenHash).IsUnique());
        modelBuilder.Entity<SharedLink>(link => link.HasIndex(l => l.Token).IsUnique());
        modelBuilder.Entity<Site>(site =>
        {
            site.HasIndex(s => s.Domain).IsUnique();
            site.HasIndex(s => s.PublicId).IsUnique();
            site.Property(s => s.Domain).HasMaxLength(SiteDomain.MaxLength);
            site.Property(s => s.PreviousDomain).HasMaxLength(SiteDomain.MaxLength);
        });
        modelBuilder.Entity<DeletedSite>(deleted =>
        {
            deleted.HasKey(d => d.SiteId);
            deleted.Property(d => d.SiteId).ValueGeneratedNever();
            deleted.Property(d => d.Domain).HasMaxLength(SiteDomain.MaxLength);
        });
        modelBuilder.Entity<EmailReports.EmailSubscription>(subscription =>
        {
            subscription.HasIndex(s => s.SiteId);
            subscription.HasIndex(s => s.UnsubscribeToken).IsUnique();
            subscription.Property(s => s.Email).HasMaxLength(254);
            subscription.Property(s => s.Language).HasMaxLength(8);
            subscription.Property(s => s.UnsubscribeToken).HasMaxLength(32);
        });
        modelBuilder.Entity<EmailReports.EmailDelivery>(delivery =>
        {
            delivery.HasIndex(d => new { d.SubscriptionId, d.Period }).IsUnique();
            delivery.Property(d => d.Period).HasMaxLength(40);
        });
        modelBuilder.Entity<SavedView>(view =>
        {
            view.HasIndex(v => v.SiteId);
            view.Property(v => v.Name).HasMaxLength(80);
            view.Ignore(v => v.LineList);
        });
        modelBuilder.Entity<ApiKey>(key => key.HasIndex(k => k.Hash).IsUnique());
        modelBuilder.Entity<DailySalt>(salt => salt.HasKey(s => s.Day));
        modelBuilder.Entity<Goal>(goal =>
        {
            goal.HasIndex(g => g.SiteId);
            goal.Ignore(g => g.DisplayName);
            goal.Ignore(g => g.CustomProps);
            goal.Ignore(g => g.IsScroll);
            goal.Property(g => g.Name).HasMaxLength(120);
        });
    }
}
