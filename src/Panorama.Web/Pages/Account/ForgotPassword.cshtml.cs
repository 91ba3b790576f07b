using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Panorama.Core.Accounts;
using Panorama.Web.Accounts;
using Panorama.Web.Email;
using Panorama.Web.Localization;

namespace Panorama.Web.Pages.Account;

/// <summary>
/// Sends a link to set a new password (Identity's reset token, valid for a day and spent by its use). The answer is the
/// same whether or not an account uses the address, so the page tells nobody who has one.
/// </summary>
[AllowAnonymous]
public sealed class ForgotPasswordModel(UserManager<PanoramaUser> users, SmtpMailer mailer, AccountEmail emails, PublicAddress address,
    PasswordAttempts attempts, AccessAudit audit, Texts texts, ILogger<ForgotPasswordModel> logger) : PageModel
{
    public string Email { get; set; } = "";
    public bool Sent { get; set; }
    public bool CanSend => mailer.IsConfigured;

    public void OnGet(string? email) => Email = email ?? "";

    public async Task<IActionResult> OnPostAsync(string? email)
    {
        Email = email?.Trim() ?? "";
        if (!CanSend) return Page();
        if (!attempts.TryAttempt(HttpContext))
        {
            ModelState.AddModelError("", texts["Too many attempts: try again in a few minutes."]);
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            return Page();
        }
        if (Email.Length == 0 || !Email.Contains('@', StringComparison.Ordinal))
        {
            ModelState.AddModelError("", texts["Enter the email you sign in with."]);
            return Page();
        }
        if (await users.FindByEmailAsync(Email) is { } user)
        {
            var token = await users.GeneratePasswordResetTokenAsync(user);
            var link = $"{address.Of(Request)}/account/reset-password?email={Uri.EscapeDataString(user.Email!)}&token={Uri.EscapeDataString(token)}";
            // Sent after the answer, so how long the page takes does not tell whether the address has an account either.
            _ = SendAsync(user.Email!, emails.PasswordReset(user.Email!, link));
        }
        Sent = true;
        return Page();
    }

    async Task SendAsync(string email, MimeKit.MimeMessage message)
    {
        await Task.Yield();
        try
        {
            await mailer.SendAsync(message, CancellationToken.None);
            audit.Record(email, "asked for a password link", "sent by email");
        }
        catch (Exception exception)
        {
            // Saying so on the page would tell who has an account; the log tells the owner.
            logger.LogWarning(exception, "The password link for an account could not be sent");
        }
    }
}
