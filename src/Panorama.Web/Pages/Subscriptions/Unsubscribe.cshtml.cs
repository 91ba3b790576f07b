using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Panorama.Core.EmailReports;
using Panorama.Core.Sites;

namespace Panorama.Web.Pages.Subscriptions;

/// <summary>
/// The link in every report: asks before stopping the subscription (a mail scanner that follows links must not unsubscribe
/// anyone), then deletes it. Reaches that one subscription and nothing else.
/// </summary>
[AllowAnonymous]
public sealed class UnsubscribeModel(EmailSubscriptions subscriptions, SiteDirectory sites) : PageModel
{
    public EmailSubscription? Subscription { get; set; }
    /// <summary>The site's domain; empty for the department's digest.</summary>
    public string Domain { get; set; } = "";
    public bool Stopped { get; set; }

    public IActionResult OnGet(string token) => Load(token) ? Page() : NotFound();

    public IActionResult OnPost(string token)
    {
        if (!Load(token)) return NotFound();
        Stopped = subscriptions.Unsubscribe(token);
        return Page();
    }

    bool Load(string token)
    {
        Subscription = subscriptions.FindByToken(token);
        Domain = Subscription?.SiteId is { } siteId ? sites.FindById(siteId)?.Domain ?? "" : "";
        return Subscription is not null;
    }
}
