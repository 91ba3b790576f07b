using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Panorama.Core.Accounts;
using Panorama.Web.Localization;

namespace Panorama.Web.Pages.Account;

/// <summary>
/// The page a password link opens. A new password also lifts a lockout, and changes the security stamp, which spends the
/// link and signs the account out elsewhere.
/// </summary>
[AllowAnonymous]
public sealed class ResetPasswordModel(UserManager<PanoramaUser> users, AccessAudit audit, Texts texts) : PageModel
{
    public string Email { get; set; } = "";
    public string Token { get; set; } = "";

    public IActionResult OnGet(string? email, string? token)
    {
        if (string.IsNullOrEmpty(email) || string.IsNullOrEmpty(token)) return NotFound();
        (Email, Token) = (email, token);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string? email, string? token, string? password)
    {
        (Email, Token) = (email ?? "", token ?? "");
        var user = Email.Length > 0 ? await users.FindByEmailAsync(Email) : null;
        var result = user is null || Token.Length == 0
            ? IdentityResult.Failed(new IdentityError { Code = "InvalidToken" })
            : await users.ResetPasswordAsync(user, Token, password ?? "");
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
                ModelState.AddModelError("", error.Code == "InvalidToken" ? texts["This link is not valid any more: ask for a new one."] : error.Description);
            return Page();
        }
        await users.SetLockoutEndDateAsync(user!, null);
        await users.ResetAccessFailedCountAsync(user!);
        audit.Record(user!.Email!, "set a new password", "by an emailed link");
        return Redirect("/login?password=changed");
    }
}
