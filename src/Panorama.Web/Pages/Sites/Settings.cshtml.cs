using Microsoft.AspNetCore.Mvc;
using Panorama.Core.Accounts;
using Panorama.Core.EmailReports;
using Panorama.Core.Goals;
using Panorama.Core.Sites;
using Panorama.Web.Localization;

namespace Panorama.Web.Pages.Sites;

/// <summary>
/// A site's settings: the tracking snippet and goals (editors); people, invitations, shared links, time zone, domain and
/// exclusions (admins); resetting the stats and deleting the site (the owner).
/// </summary>
public sealed class SettingsModel(GoalService goals, SavedViews views, SiteAccess access, Invitations invitations, SharedLinks links, AccessAudit audit, SiteDirectory sites,
    SiteDomainChange domainChange, SiteDeletion deletion, EmailSubscriptions emailReports, Panorama.Web.Email.EmailReportRunner emailRunner, Panorama.Web.Email.SmtpMailer mailer,
    Panorama.Web.Email.AccountEmail accountEmails, Panorama.Web.Email.PublicAddress address, TimeProvider time, Texts texts)
    : SignedInPage
{
    public string Domain { get; set; } = "";
    public SiteRole Role { get; set; }
    public string Snippet { get; set; } = "";
    public IReadOnlyList<Goal> Goals { get; set; } = [];
    public IReadOnlyList<SavedView> Funnels { get; set; } = [];
    public IReadOnlyList<SavedView> Segments { get; set; } = [];

    /// <summary>A refused funnel or segment, shown again in its form (a segment also arrives from the dashboard's "save as segment").</summary>
    public (SavedViewKind Kind, string Name, string Lines)? Draft { get; set; }
    public IReadOnlyList<(SiteMember Member, string Email)> Members { get; set; } = [];
    public IReadOnlyList<Invitation> OpenInvitations { get; set; } = [];
    public IReadOnlyList<SharedLink> Links { get; set; } = [];
    public string ExcludedIps { get; set; } = "";
    public string ShownProperties { get; set; } = "";
    public string ExcludedPages { get; set; } = "";
    public string AllowedHostnames { get; set; } = "";
    public string ExcludedCountries { get; set; } = "";
    public string TimeZone { get; set; } = "UTC";
    public string NewDomain { get; set; } = "";
    public IReadOnlyList<EmailSubscription> EmailReports { get; set; } = [];
    public IReadOnlyDictionary<int, DateTimeOffset> EmailLastSent { get; set; } = new Dictionary<int, DateTimeOffset>();
    public bool EmailConfigured { get; set; }

    /// <summary>What the last action did, when it has no page of its own to show (a report sent now).</summary>
    public string? Done { get; set; }

    /// <summary>The domain this site had before its last change, while that still reaches it.</summary>
    public (string Domain, DateTimeOffset Until)? Transition { get; set; }

    /// <summary>A link made by the last action (an invitation), shown once.</summary>
    public string? Created { get; set; }
    public string CreatedLabel { get; set; } = "";

    /// <summary>Whether an invitation went out by email, already in the page's language.</summary>
    public string? SentNote { get; set; }

    int siteId;

    /// <summary>The two sections of saved views: kind, element id, title, what it is, the lines' label, the button, an example.</summary>
    public static readonly (SavedViewKind Kind, string Id, string Title, string About, string LinesLabel, string Button, string Example)[] ViewSections =
    [
        (SavedViewKind.Funnel, "funnels", "Funnels",
            "Saved funnels are offered on the dashboard's funnel panel. Steps, one a line: a page path (/pricing, /blog/*) or an event or goal name; 2 to 8 of them.",
            "Steps", "Save the funnel", "/\n/pricing\nSignup"),
        (SavedViewKind.Segment, "segments", "Segments",
            "Saved segments are offered beside the dashboard's filters; Stats API queries name one by its id: [\"is\", \"segment\", [id]]. Filters, one a line, as dimension|operator|value (operators: is, is_not, contains, matches); the dashboard's \"Save as a segment\" fills this in.",
            "Filters", "Save the segment", "visit:source|is|Google\nvisit:device|is|Mobile"),
    ];

    public IActionResult OnGet(string domain, string? segment)
    {
        if (!Load(domain, SiteRole.Editor)) return NotFound();
        if (!string.IsNullOrWhiteSpace(segment)) Draft = (SavedViewKind.Segment, "", segment);
        return Page();
    }

    public IActionResult OnPostAddGoal(string domain, string? kind, string? value, string? currency, string? props, string? name, string? scroll)
    {
        if (!Load(domain, SiteRole.Editor)) return NotFound();
        try
        {
            var onPage = kind is "page" or "scroll";
            if (kind == "scroll" && string.IsNullOrWhiteSpace(scroll)) throw new ArgumentException("'scroll_threshold' is a share of the page from 1 to 100 (%), for a goal with a 'page_path'.");
            goals.Add(siteId, onPage ? value : null, onPage ? null : value, string.IsNullOrWhiteSpace(currency) ? null : currency,
                PropsFromForm(props), name, kind == "scroll" ? Panorama.Web.Stats.GoalEndpoints.Threshold(scroll) : null);
        }
        catch (Exception exception) when (exception is ArgumentException or InvalidOperationException)
        {
            ModelState.AddModelError("", texts.Message(exception.Message));
            return Page();
        }
        return RedirectToPage();
    }

    /// <summary>The form's properties, <c>plan=pro; size=L</c>: name=value pairs separated by semicolons.</summary>
    static Dictionary<string, string>? PropsFromForm(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var props = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in text.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var at = pair.IndexOf('=', StringComparison.Ordinal);
            if (at <= 0) throw new ArgumentException($"'{pair}' is not a property as name=value.");
            if (!props.TryAdd(pair[..at].Trim(), pair[(at + 1)..].Trim())) throw new ArgumentException($"'custom_props': '{pair[..at].Trim()}' is given twice.");
        }
        return props;
    }

    public IActionResult OnPostSaveProperties(string domain, string? properties)
    {
        if (!Load(domain, SiteRole.Editor)) return NotFound();
        try
        {
            sites.SetShownProperties(siteId, properties);
        }
        catch (ArgumentException exception)
        {
            ModelState.AddModelError("", texts.Message(exception.Message));
            ShownProperties = properties ?? "";
            return Page();
        }
        return RedirectToPage();
    }

    public IActionResult OnPostRenameGoal(string domain, int id, string? name)
    {
        if (!Load(domain, SiteRole.Editor)) return NotFound();
        try
        {
            if (goals.Rename(siteId, id, name) is null) return NotFound();
        }
        catch (ArgumentException exception)
        {
            ModelState.AddModelError("", texts.Message(exception.Message));
            return Page();
        }
        return RedirectToPage();
    }

    public IActionResult OnPostDeleteGoal(string domain, int id)
    {
        if (!Load(domain, SiteRole.Editor)) return NotFound();
        goals.Delete(siteId, id);
        return RedirectToPage();
    }

    public IActionResult OnPostSaveView(string domain, SavedViewKind kind, string? name, string? lines)
    {
        if (!Load(domain, SiteRole.Editor)) return NotFound();
        try
        {
            views.Save(siteId, kind, name, lines);
        }
        catch (ArgumentException exception)
        {
            ModelState.AddModelError("", texts.Message(exception.Message));
            Draft = (kind, name ?? "", lines ?? "");
            return Page();
        }
        return RedirectToPage();
    }

    public IActionResult OnPostDeleteView(string domain, int id)
    {
        if (!Load(domain, SiteRole.Editor)) return NotFound();
        views.Delete(siteId, id);
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostInvite(string domain, string? email, SiteRole role)
    {
        if (!Load(domain, SiteRole.Admin)) return NotFound();
        if (string.IsNullOrWhiteSpace(email) || !email.Contains('@', StringComparison.Ordinal) || role is < SiteRole.Viewer or > SiteRole.Admin)
        {
            ModelState.AddModelError("", texts["Enter the person's email and a role."]);
            return Page();
        }
        var (_, token) = invitations.Create(email, siteId, role, UserId);
        audit.Record(Actor, "invited", $"{email.Trim()} as {role} on {Domain}");
        Created = $"{address.Of(Request)}/invite/{token}";
        CreatedLabel = "Send this invitation link to the person; it works once, for 7 days, and is not shown again.";
        if (mailer.IsConfigured)
        {
            // With a mail server the invitation goes by itself; the link stays on the page in case the message is lost.
            try
            {
                await mailer.SendAsync(accountEmails.Invitation(email.Trim(), Domain, texts[role.ToString()], Actor, Created), HttpContext.RequestAborted);
                SentNote = texts.Format("The invitation was sent to {0}.", email.Trim());
            }
            catch (Exception exception) when (Panorama.Web.Email.SmtpMailer.IsDeliveryFailure(exception) || exception is MimeKit.ParseException)
            {
                // An address only an invitation link can reach ("a@b@c") is said so, not a 500.
                SentNote = texts.Format("The mail server did not take the message: {0}", exception.Message);
            }
        }
        Load(domain, SiteRole.Admin);
        return Page();
    }

    public IActionResult OnPostCancelInvitation(string domain, int id)
    {
        if (!Load(domain, SiteRole.Admin)) return NotFound();
        invitations.Cancel(id, siteId);
        audit.Record(Actor, "cancelled invitation", $"#{id} on {Domain}");
        return RedirectToPage();
    }

    public IActionResult OnPostRemoveMember(string domain, string userId)
    {
        if (!Load(domain, SiteRole.Admin)) return NotFound();
        var email = access.MembersOf(siteId).FirstOrDefault(m => m.Member.UserId == userId).Email ?? userId;
        access.Revoke(userId, siteId);
        audit.Record(Actor, "removed", $"{email} from {Domain}");
        return RedirectToPage();
    }

    public IActionResult OnPostAddLink(string domain, string? name, string? password)
    {
        if (!Load(domain, SiteRole.Admin)) return NotFound();
        var link = links.Create(siteId, name ?? "", password);
        audit.Record(Actor, "created shared link", $"'{link.Name}'{(link.PasswordHash is null ? "" : " (password)")} on {Domain}");
        return RedirectToPage();
    }

    public IActionResult OnPostDeleteLink(string domain, int id)
    {
        if (!Load(domain, SiteRole.Admin)) return NotFound();
        links.Delete(id, siteId);
        audit.Record(Actor, "deleted shared link", $"#{id} on {Domain}");
        return RedirectToPage();
    }

    public IActionResult OnPostSaveExclusions(string domain, string? excludedIps, string? excludedPages, string? allowedHostnames, string? excludedCountries)
    {
        if (!Load(domain, SiteRole.Admin)) return NotFound();
        var errors = SiteShield.Validate(excludedIps, excludedPages, allowedHostnames, excludedCountries);
        if (errors.Count > 0)
        {
            foreach (var error in errors) ModelState.AddModelError("", texts.Message(error));
            (ExcludedIps, ExcludedPages, AllowedHostnames, ExcludedCountries) = (excludedIps ?? "", excludedPages ?? "", allowedHostnames ?? "", excludedCountries ?? "");
            return Page();
        }
        var site = sites.SaveExclusions(siteId, excludedIps, excludedPages, allowedHostnames, excludedCountries);
        audit.Record(Actor, "changed exclusions", $"on {Domain}: {Count(site.ExcludedIps)} IP entries, {Count(site.ExcludedPages)} pages, " +
            $"{Count(site.AllowedHostnames)} allowed hostnames, {Count(site.ExcludedCountries)} countries");
        return RedirectToPage();
    }

    public IActionResult OnPostSetTimeZone(string domain, string? timeZone)
    {
        if (!Load(domain, SiteRole.Admin)) return NotFound();
        var zone = timeZone?.Trim() ?? "";
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _))
        {
            ModelState.AddModelError("", texts.Format("Unknown time zone '{0}'.", zone));
            TimeZone = zone;
            return Page();
        }
        var before = TimeZone;
        sites.SetTimeZone(siteId, zone);
        audit.Record(Actor, "changed time zone", $"of {Domain} from {before} to {zone}");
        return RedirectToPage();
    }

    public IActionResult OnPostChangeDomain(string domain, string? newDomain)
    {
        if (!Load(domain, SiteRole.Admin)) return NotFound();
        try
        {
            var site = domainChange.Apply(sites.FindById(siteId)!, newDomain ?? "", Actor);
            return RedirectToPage(new { domain = site.Domain });
        }
        catch (ArgumentException exception)
        {
            ModelState.AddModelError("", texts.Message(exception.Message));
            NewDomain = newDomain ?? "";
            return Page();
        }
    }

    public IActionResult OnPostAddEmailReport(string domain, EmailReportKind kind, string? email, string? language, int? threshold)
    {
        if (!Load(domain, SiteRole.Admin)) return NotFound();
        try
        {
            var subscription = emailReports.Add(siteId, kind, email, language, threshold);
            audit.Record(Actor, "added email report", $"{subscription.Kind} to {subscription.Email} on {Domain}");
        }
        catch (ArgumentException exception)
        {
            ModelState.AddModelError("", texts.Message(exception.Message));
            return Page();
        }
        return RedirectToPage();
    }

    public IActionResult OnPostRemoveEmailReport(string domain, int id)
    {
        if (!Load(domain, SiteRole.Admin)) return NotFound();
        var removed = EmailReports.FirstOrDefault(s => s.Id == id);
        if (removed is not null && emailReports.Remove(siteId, id))
            audit.Record(Actor, "removed email report", $"{removed.Kind} to {removed.Email} on {Domain}");
        return RedirectToPage();
    }

    /// <summary>Sends a subscription's latest report (or its alert as the numbers stand) now, to check the mail setup.</summary>
    public async Task<IActionResult> OnPostSendEmailReport(string domain, int id)
    {
        if (!Load(domain, SiteRole.Admin)) return NotFound();
        if (EmailReports.FirstOrDefault(s => s.Id == id) is not { } subscription) return NotFound();
        try
        {
            await emailRunner.SendNowAsync(sites.FindById(siteId)!, subscription, time.GetUtcNow(), HttpContext.RequestAborted);
            Done = texts.Format("Sent to {0}.", subscription.Email);
        }
        catch (Exception exception) when (Panorama.Web.Email.SmtpMailer.IsDeliveryFailure(exception))
        {
            ModelState.AddModelError("", texts.Format("The mail server did not take the message: {0}", exception.Message));
        }
        return Page();
    }

    /// <summary>The owner deletes the site, after typing its domain to confirm.</summary>
    public async Task<IActionResult> OnPostDeleteSite(string domain, string? confirm)
    {
        if (!Load(domain, SiteRole.Owner)) return NotFound();
        if (!Confirmed(confirm, texts.Format("Type {0} to confirm that the site and all its data are to be deleted.", Domain))) return Page();
        await deletion.DeleteAsync(sites.FindById(siteId)!, Actor, HttpContext.RequestAborted);
        return Redirect("/sites");
    }

    /// <summary>The owner deletes the site's events and visits, keeping the site, after typing its domain to confirm.</summary>
    public async Task<IActionResult> OnPostResetStats(string domain, string? confirm)
    {
        if (!Load(domain, SiteRole.Owner)) return NotFound();
        if (!Confirmed(confirm, texts.Format("Type {0} to confirm that the site's events are to be deleted.", Domain))) return Page();
        await deletion.ResetAsync(sites.FindById(siteId)!, Actor, HttpContext.RequestAborted);
        return RedirectToPage();
    }

    /// <summary>Whether the owner typed the site's domain; if not, the page shows the message.</summary>
    bool Confirmed(string? confirm, string message)
    {
        if (string.Equals(confirm?.Trim(), Domain, StringComparison.OrdinalIgnoreCase)) return true;
        ModelState.AddModelError("", message);
        return false;
    }

    static int Count(string? list) => list is null ? 0 : list.Split('\n').Length;

    string Actor => User.Identity?.Name ?? UserId;

    bool Load(string domain, SiteRole atLeast)
    {
        if (SiteFor(domain, atLeast) is not { } found) return false;
        var (site, role) = found;
        siteId = site.Id;
        Domain = site.Domain;
        Role = role;
        Snippet = DashboardModel.TrackingSnippet(site.Domain, address.Of(Request));
        Goals = goals.ForSite(site.Id);
        Funnels = views.For(site.Id, SavedViewKind.Funnel);
        Segments = views.For(site.Id, SavedViewKind.Segment);
        ShownProperties = site.ShownProperties ?? "";
        if (role >= SiteRole.Admin)
        {
            Members = access.MembersOf(site.Id);
            OpenInvitations = invitations.OpenFor(site.Id);
            Links = links.For(site.Id);
            ExcludedIps = site.ExcludedIps ?? "";
            ExcludedPages = site.ExcludedPages ?? "";
            AllowedHostnames = site.AllowedHostnames ?? "";
            ExcludedCountries = site.ExcludedCountries ?? "";
            TimeZone = site.TimeZone;
            EmailReports = emailReports.For(site.Id);
            EmailLastSent = emailReports.LastSent(EmailReports.Select(s => s.Id));
            EmailConfigured = mailer.IsConfigured;
            if (site.PreviousDomain is { } previous && site.DomainChangedAt + SiteDirectory.DomainTransition is { } until && until > DateTimeOffset.UtcNow)
                Transition = (previous, until);
        }
        return true;
    }
}
