using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Panorama.Core.Accounts;
using Panorama.Core.Goals;
using Panorama.Core.Sites;
using Panorama.Web.Accounts;
using Panorama.Web.Localization;
using Panorama.Web.Pages.Shared;

namespace Panorama.Web.Pages.Share;

/// <summary>A shared link: the site's dashboard, read-only, after the link's password when it has one.</summary>
[AllowAnonymous]
public sealed class IndexModel(SharedLinks links, SharedLinkProof proof, PasswordAttempts attempts, SiteDirectory sites, GoalService goals,
    SavedViews views, Texts texts) : PageModel
{
    public DashboardView? View { get; set; }

    public IActionResult OnGet(string token)
    {
        var link = links.Find(token);
        if (link is null) return NotFound();
        if (proof.IsGranted(HttpContext, link)) Show(link);
        return Page();
    }

    public IActionResult OnPost(string token, string? password)
    {
        var link = links.Find(token);
        if (link is null) return NotFound();
        if (!attempts.TryAttempt(HttpContext))
        {
            ModelState.AddModelError("", texts["Too many attempts: try again in a few minutes."]);
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            return Page();
        }
        if (!SharedLinks.PasswordMatches(link, password))
        {
            ModelState.AddModelError("", texts["The password is wrong."]);
            return Page();
        }
        proof.Grant(HttpContext, link);
        return Redirect("/share/" + link.Token + Request.QueryString);
    }

    void Show(SharedLink link)
    {
        var site = sites.FindById(link.SiteId) ?? throw new InvalidOperationException($"Shared link {link.Id} names a missing site.");
        Response.Headers["X-Robots-Tag"] = "noindex";
        View = new DashboardView(site, link.Token, CanEdit: false, goals.ForSite(site.Id), views.For(site.Id, SavedViewKind.Funnel),
            views.For(site.Id, SavedViewKind.Segment));
    }
}
