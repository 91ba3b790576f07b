using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Panorama.Core.Accounts;
using Panorama.Web.Accounts;
using Panorama.Web.Localization;

namespace Panorama.Web.Pages.Account;

/// <summary>The signed-in person's account: changing the password, turning TOTP two-factor authentication on and off.</summary>
public sealed class SecurityModel(UserManager<PanoramaUser> users, SignInManager<PanoramaUser> signIn, AccessAudit audit, Texts texts) : SignedInPage
{
    public string Email { get; set; } = "";
    public bool IsOwner { get; set; }
    public bool TwoFactorEnabled { get; set; }
    public string AuthenticatorKey { get; set; } = "";
    public string AuthenticatorUri { get; set; } = "";
    public IReadOnlyList<string>? RecoveryCodes { get; set; }
    public bool PasswordChanged { get; set; }

    public async Task<IActionResult> OnGetAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null) return Redirect(AccountServices.LoginPath);
        await LoadAsync(user);
        return Page();
    }

    /// <summary>Needs the current password; the new one changes the security stamp, which signs the account out elsewhere.</summary>
    public async Task<IActionResult> OnPostChangePasswordAsync(string? current, string? password)
    {
        var user = await users.GetUserAsync(User);
        if (user is null) return Redirect(AccountServices.LoginPath);
        var result = await users.ChangePasswordAsync(user, current ?? "", password ?? "");
        if (result.Succeeded)
        {
            audit.Record(user.Email ?? user.Id, "changed the password", user.Email ?? user.Id);
            await signIn.RefreshSignInAsync(user);
            PasswordChanged = true;
        }
        foreach (var error in result.Errors)
            ModelState.AddModelError("", error.Code == "PasswordMismatch" ? texts["The current password is wrong."] : error.Description);
        await LoadAsync(user);
        return Page();
    }

    public async Task<IActionResult> OnPostEnableAsync(string? code)
    {
        var user = await users.GetUserAsync(User);
        if (user is null) return Redirect(AccountServices.LoginPath);
        var cleaned = (code ?? "").Replace(" ", "", StringComparison.Ordinal);
        if (!await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, cleaned))
        {
            ModelState.AddModelError("", texts["The code is not valid."]);
            await LoadAsync(user);
            return Page();
        }
        await users.SetTwoFactorEnabledAsync(user, true);
        audit.Record(user.Email ?? user.Id, "turned on two-factor authentication", user.Email ?? user.Id);
        RecoveryCodes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 10))?.ToList();
        await signIn.RefreshSignInAsync(user);
        await LoadAsync(user);
        return Page();
    }

    public async Task<IActionResult> OnPostDisableAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null) return Redirect(AccountServices.LoginPath);
        await users.SetTwoFactorEnabledAsync(user, false);
        audit.Record(user.Email ?? user.Id, "turned off two-factor authentication", user.Email ?? user.Id);
        await users.ResetAuthenticatorKeyAsync(user);
        await signIn.RefreshSignInAsync(user);
        return RedirectToPage();
    }

    async Task LoadAsync(PanoramaUser user)
    {
        Email = user.Email ?? "";
        IsOwner = user.IsOwner;
        TwoFactorEnabled = await users.GetTwoFactorEnabledAsync(user);
        var key = await users.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key))
        {
            await users.ResetAuthenticatorKeyAsync(user);
            key = await users.GetAuthenticatorKeyAsync(user);
        }
        AuthenticatorKey = key!;
        AuthenticatorUri = $"otpauth://totp/Panorama:{Uri.EscapeDataString(Email)}?secret={key}&issuer=Panorama&digits=6";
    }
}
