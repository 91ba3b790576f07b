using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Panorama.Core.Accounts;
using Panorama.Web.Accounts;
using Panorama.Web.Localization;

namespace Panorama.Web.Pages.Account;

[AllowAnonymous]
public sealed class LoginModel(SignInManager<PanoramaUser> signIn, SiteAccess access, Texts texts) : PageModel
{
    public string Email { get; set; } = "";
    public string ReturnUrl { get; set; } = "/sites";

    public IActionResult OnGet(string? returnUrl)
    {
        if (!access.AnyUser()) return Redirect("/setup");
        ReturnUrl = AccountServices.ReturnUrlOrSites(Url, returnUrl);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string? email, string? password, string? returnUrl)
    {
        Email = email ?? "";
        ReturnUrl = AccountServices.ReturnUrlOrSites(Url, returnUrl);
        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrEmpty(password))
        {
            ModelState.AddModelError("", texts["Enter an email and a password."]);
            return Page();
        }
        var result = await signIn.PasswordSignInAsync(email.Trim(), password, isPersistent: true, lockoutOnFailure: true);
        if (result.Succeeded) return LocalRedirect(ReturnUrl);
        if (result.RequiresTwoFactor) return Redirect("/login/2fa?returnUrl=" + Uri.EscapeDataString(ReturnUrl));
        ModelState.AddModelError("", result.IsLockedOut
            ? texts["Too many failed attempts: the account is locked for 15 minutes."]
            : texts["The email or password is wrong."]);
        return Page();
    }
}
