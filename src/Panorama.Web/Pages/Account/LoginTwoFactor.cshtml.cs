using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Panorama.Core.Accounts;
using Panorama.Web.Accounts;
using Panorama.Web.Localization;

namespace Panorama.Web.Pages.Account;

/// <summary>Second step of signing in: a TOTP code (RFC 6238) or a one-time recovery code.</summary>
[AllowAnonymous]
public sealed class LoginTwoFactorModel(SignInManager<PanoramaUser> signIn, Texts texts) : PageModel
{
    public string ReturnUrl { get; set; } = "/sites";

    public async Task<IActionResult> OnGetAsync(string? returnUrl)
    {
        if (await signIn.GetTwoFactorAuthenticationUserAsync() is null) return Redirect(AccountServices.LoginPath);
        ReturnUrl = AccountServices.ReturnUrlOrSites(Url, returnUrl);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string? code, string? returnUrl)
    {
        ReturnUrl = AccountServices.ReturnUrlOrSites(Url, returnUrl);
        if (await signIn.GetTwoFactorAuthenticationUserAsync() is null) return Redirect(AccountServices.LoginPath);
        var cleaned = (code ?? "").Replace(" ", "", StringComparison.Ordinal);
        var result = cleaned.Length == 6 && cleaned.All(char.IsAsciiDigit)
            ? await signIn.TwoFactorAuthenticatorSignInAsync(cleaned, isPersistent: true, rememberClient: false)
            : await signIn.TwoFactorRecoveryCodeSignInAsync(cleaned);
        if (result.Succeeded) return LocalRedirect(ReturnUrl);
        ModelState.AddModelError("", result.IsLockedOut
            ? texts["Too many failed attempts: the account is locked for 15 minutes."]
            : texts["The code is not valid."]);
        return Page();
    }
}
