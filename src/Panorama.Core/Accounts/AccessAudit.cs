using Microsoft.EntityFrameworkCore;
using Panorama.Core.Data;

namespace Panorama.Core.Accounts;

/// <summary>One change of who may access what: an account, a role, an invitation, an API key, a shared link, two-factor.</summary>
public sealed class AccessAuditEntry
{
    public int Id { get; set; }
    public DateTimeOffset At { get; set; }

    /// <summary>Who made the change: an account's email, "cli", or "setup".</summary>
    public required string Actor { get; set; }

    public required string Action { get; set; }
    public required string Subject { get; set; }
}

/// <summary>The audit log of access changes (PRODUCT C); the department's own changes are its revisions.</summary>
public sealed class AccessAudit(IDbContextFactory<PanoramaDbContext> databases, TimeProvider time)
{
    public void Record(string actor, string action, string subject)
    {
        using var db = databases.CreateDbContext();
        db.AccessAudit.Add(new AccessAuditEntry { At = time.GetUtcNow(), Actor = actor, Action = action, Subject = subject });
        db.SaveChanges();
    }

    public IReadOnlyList<AccessAuditEntry> Latest(int count = 500)
    {
        using var db = databases.CreateDbContext();
        return db.AccessAudit.AsNoTracking().OrderByDescending(e => e.Id).Take(count).ToList();
    }
}
