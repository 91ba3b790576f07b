using Microsoft.AspNetCore.Mvc;
using Panorama.Core.Accounts;
using Panorama.Core.Goals;
using Panorama.Web.Pages.Shared;

namespace Panorama.Web.Pages.Sites;

/// <summary>A site's dashboard for anyone with a role on it; the panels load from the stats API.</summary>
public sealed class DashboardModel(GoalService goals, SavedViews views) : SignedInPage
{
    public DashboardView? View { get; set; }

    public IActionResult OnGet(string domain)
    {
        if (SiteFor(domain, SiteRole.Viewer) is not { } found) return NotFound();
        View = new DashboardView(found.Site, null, found.Role >= SiteRole.Editor, goals.ForSite(found.Site.Id),
            views.For(found.Site.Id, SavedViewKind.Funnel), views.For(found.Site.Id, SavedViewKind.Segment));
        return Page();
    }
}
