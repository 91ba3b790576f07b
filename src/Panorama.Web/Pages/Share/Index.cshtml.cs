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
public sealed partial class IndexModel(SharedLinks links, SharedLinkProof proof, PasswordAttempts attempts, SiteDirectory sites, GoalService goals,
    SavedViews views, Texts texts) : PageModel
{
    public DashboardView? View { get; set; }

    /// <summary><c>?embed=true</c>: the dashboard alone, for an iframe on another site (links without a password only).</summary>
    public bool Embed => Request.Query["embed"] == "true";

    /// <summary><c>&amp;background=transparent</c> or a colour such as <c>%23f5f5f5</c>, behind an embedded dashboard.</summary>
    public string? Background => Request.Query["background"].FirstOrDefault() is { } value && BackgroundValue().IsMatch(value) ? value : null;

    /// <summary><c>&amp;theme=light</c> or <c>dark</c> for an embedded dashboard; without it, the visitor's system setting.</summary>
    public string? Theme => Request.Query["theme"].FirstOrDefault() is "light" or "dark" ? Request.Query["theme"].FirstOrDefault() : null;

    public IActionResult OnGet(string token)
    {
        var link = links.Find(token);
        if (link is null) return NotFound();
        if (Embed)
        {
            // A password proof is a cookie, which browsers keep from third-party frames: such a link cannot be embedded.
            if (link.PasswordHash is not null)
                return new ContentResult
                {
                    StatusCode = StatusCodes.Status403Forbidden, ContentType = "text/plain; charset=utf-8",
                    Content = texts["A shared link with a password cannot be embedded: create one without a password for embedding."],
                };
            Response.Headers.ContentSecurityPolicy = "frame-ancestors *";
            Show(link);
            return Page();
        }
        if (proof.IsGranted(HttpContext, link)) Show(link);
        return Page();
    }

    [System.Text.RegularExpressions.GeneratedRegex("^(transparent|#[0-9a-fA-F]{3,8})$")]
    private static partial System.Text.RegularExpressions.Regex BackgroundValue();

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
