using Microsoft.AspNetCore.Mvc;
using Panorama.Core.Accounts;
using Panorama.Core.Goals;
using Panorama.Core.Reports.Query;
using Panorama.Web.Email;
using Panorama.Web.Pages.Shared;

namespace Panorama.Web.Pages.Sites;

/// <summary>
/// A site's dashboard for anyone with a role on it; the panels load from the stats API. Until the site's first event
/// arrives, the page waits for it instead (as Plausible's does): the snippet to install, and a reload when it comes.
/// </summary>
public sealed class DashboardModel(GoalService goals, SavedViews views, IQueryEngine engine, PublicAddress address) : SignedInPage
{
    public DashboardView? View { get; set; }

    /// <summary>No event stored yet: the page shows how to install the tracker and waits for the first one.</summary>
    public bool Waiting { get; private set; }

    public string Snippet { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(string domain, bool empty, CancellationToken cancellationToken)
    {
        if (SiteFor(domain, SiteRole.Viewer) is not { } found) return NotFound();
        View = new DashboardView(found.Site, null, found.Role >= SiteRole.Editor, goals.ForSite(found.Site.Id),
            views.For(found.Site.Id, SavedViewKind.Funnel), views.For(found.Site.Id, SavedViewKind.Segment));
        Waiting = !empty && await engine.FirstDayAsync(found.Site.Id, cancellationToken) is null;
        Snippet = TrackingSnippet(found.Site.Domain, address.Of(Request));
        return Page();
    }

    public static string TrackingSnippet(string domain, string origin) => $"""<script defer data-domain="{domain}" src="{origin}/js/script.js"></script>""";
}
