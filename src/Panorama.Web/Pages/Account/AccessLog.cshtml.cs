using Microsoft.AspNetCore.Mvc;
using Panorama.Core.Accounts;

namespace Panorama.Web.Pages.Account;

/// <summary>The owner's view of every access change: accounts, roles, invitations, keys, shared links, two-factor.</summary>
public sealed class AccessLogModel(AccessAudit audit, SiteAccess access) : SignedInPage
{
    public IReadOnlyList<AccessAuditEntry> Entries { get; private set; } = [];

    public IActionResult OnGet()
    {
        if (!access.IsOwner(UserId)) return NotFound();
        Entries = audit.Latest();
        return Page();
    }
}
