using Microsoft.EntityFrameworkCore;
using Panorama.Core.Data;
using Panorama.Core.Sites;

namespace Panorama.Core.Accounts;

/// <summary>Who may do what on which site: the owner everywhere, everyone else by their site memberships.</summary>
public sealed class SiteAccess(IDbContextFactory<PanoramaDbContext> databases)
{
    /// <summary>The person's role on the site, or null when they have none (the site is then invisible to them).</summary>
    public SiteRole? RoleOf(string userId, int siteId)
    {
        using var db = databases.CreateDbContext();
        var user = db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => new { u.IsOwner }).FirstOrDefault();
        if (user is null) return null;
        if (user.IsOwner) return SiteRole.Owner;
        var member = db.SiteMembers.AsNoTracking().FirstOrDefault(m => m.UserId == userId && m.SiteId == siteId);
        return member?.Role;
    }

    /// <summary>The sites the person can see, with their role on each, by domain.</summary>
    public IReadOnlyList<(Site Site, SiteRole Role)> SitesOf(string userId)
    {
        using var db = databases.CreateDbContext();
        var isOwner = db.Users.AsNoTracking().Any(u => u.Id == userId && u.IsOwner);
        if (isOwner) return db.Sites.AsNoTracking().OrderBy(s => s.Domain).AsEnumerable().Select(s => (s, SiteRole.Owner)).ToList();
        return (from member in db.SiteMembers.AsNoTracking()
                join site in db.Sites.AsNoTracking() on member.SiteId equals site.Id
                where member.UserId == userId
                orderby site.Domain
                select new { site, member.Role }).AsEnumerable().Select(x => (x.site, x.Role)).ToList();
    }

    public IReadOnlyList<(SiteMember Member, string Email)> MembersOf(int siteId)
    {
        using var db = databases.CreateDbContext();
        return (from member in db.SiteMembers.AsNoTracking()
                join user in db.Users.AsNoTracking() on member.UserId equals user.Id
                where member.SiteId == siteId
                orderby user.Email
                select new { member, user.Email }).AsEnumerable().Select(x => (x.member, x.Email ?? "")).ToList();
    }

    /// <summary>Gives the person a role on the site, replacing any role they had there.</summary>
    public void Grant(string userId, int siteId, SiteRole role)
    {
        if (role is SiteRole.Owner) throw new ArgumentException("Owner is an account-wide role, not a site role.", nameof(role));
        using var db = databases.CreateDbContext();
        var member = db.SiteMembers.FirstOrDefault(m => m.UserId == userId && m.SiteId == siteId);
        if (member is null) db.SiteMembers.Add(new SiteMember { UserId = userId, SiteId = siteId, Role = role });
        else member.Role = role;
        db.SaveChanges();
    }

    public void Revoke(string userId, int siteId)
    {
        using var db = databases.CreateDbContext();
        db.SiteMembers.Where(m => m.UserId == userId && m.SiteId == siteId).ExecuteDelete();
    }

    public bool IsOwner(string userId)
    {
        using var db = databases.CreateDbContext();
        return db.Users.Any(u => u.Id == userId && u.IsOwner);
    }

    /// <summary>The owner and the admins of any site change the department's structure; everyone else with an account reads it.</summary>
    public bool CanManageDepartment(string userId)
    {
        using var db = databases.CreateDbContext();
        return db.Users.Any(u => u.Id == userId && u.IsOwner) || db.SiteMembers.Any(m => m.UserId == userId && m.Role >= SiteRole.Admin);
    }

    public IReadOnlyList<string> OwnerEmails()
    {
        using var db = databases.CreateDbContext();
        return db.Users.AsNoTracking().Where(u => u.IsOwner && u.Email != null).Select(u => u.Email!).ToList();
    }

    public bool AnyUser()
    {
        using var db = databases.CreateDbContext();
        return db.Users.Any();
    }
}
