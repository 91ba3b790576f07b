using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Panorama.Core.Accounts;
using Panorama.Core.Sites;
using Panorama.Web.Accounts;
using Panorama.Web.Localization;

namespace Panorama.Web.Pages.Account;

/// <summary>First run: creates the owner account (only while no account exists) and optionally the first site.</summary>
[AllowAnonymous]
public sealed class SetupModel(SiteAccess access, AccessAudit audit, UserManager<PanoramaUser> users, SignInManager<PanoramaUser> signIn,
    SiteDirectory sites, TimeProvider time, Texts texts) : PageModel
{
    public string Email { get; set; } = "";
    public string Domain { get; set; } = "";
    public string TimeZone { get; set; } = "UTC";

    public IActionResult OnGet() => access.AnyUser() ? Redirect(AccountServices.LoginPath) : Page();

    public async Task<IActionResult> OnPostAsync(string? email, string? password, string? domain, string? timeZone)
    {
        if (access.AnyUser()) return Redirect(AccountServices.LoginPath);
        Email = email ?? "";
        Domain = domain ?? "";
        TimeZone = string.IsNullOrWhiteSpace(timeZone) ? "UTC" : timeZone.Trim();
        if (!string.IsNullOrWhiteSpace(domain) && SiteDomain.Normalize(domain) is null)
            ModelState.AddModelError("Domain", texts.Format("'{0}' is not a valid domain.", domain));
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out _))
            ModelState.AddModelError("TimeZone", texts.Format("Unknown time zone '{0}'.", TimeZone));
        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrEmpty(password))
            ModelState.AddModelError("Email", texts["Enter an email and a password."]);
        if (!ModelState.IsValid) return Page();
        var errors = await OwnerBootstrap.CreateOwnerAsync(users, email!, password!, time);
        if (errors.Count > 0)
        {
            foreach (var error in errors) ModelState.AddModelError("", error);
            return Page();
        }
        var owner = await users.FindByEmailAsync(email!.Trim());
        audit.Record("setup", "created the owner account", email.Trim());
        await signIn.SignInAsync(owner!, isPersistent: false);
        if (string.IsNullOrWhiteSpace(domain)) return Redirect("/sites");
        var site = sites.Add(domain, TimeZone);
        return Redirect($"/sites/{site.Domain}/settings");
    }
}
