using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Panorama.Core.Accounts;
using Panorama.Web.Accounts;
using Panorama.Core.Sites;

namespace Panorama.Web.Pages.Account;

/// <summary>Accepting an invitation: a new person creates an account; a signed-in person just gains the role.</summary>
[AllowAnonymous]
public sealed class InvitationModel(Invitations invitations, SiteAccess access, AccessAudit audit, SiteDirectory sites, UserManager<PanoramaUser> users,
    SignInManager<PanoramaUser> signIn, TimeProvider time) : PageModel
{
    public string Token { get; set; } = "";
    public string Domain { get; set; } = "";
    public string Email { get; set; } = "";
    public string RoleName { get; set; } = "";

    public IActionResult OnGet(string token) => Load(token) is null ? NotFound() : Page();

    public async Task<IActionResult> OnPostAcceptAsync(string token)
    {
        var invitation = Load(token);
        if (invitation is null) return NotFound();
        var user = await users.GetUserAsync(User);
        if (user is null) return Redirect(AccountServices.LoginPath);
        return Accept(invitation, user);
    }

    public async Task<IActionResult> OnPostRegisterAsync(string token, string? password)
    {
        var invitation = Load(token);
        if (invitation is null) return NotFound();
        var user = new PanoramaUser { UserName = invitation.Email, Email = invitation.Email, EmailConfirmed = true, CreatedAt = time.GetUtcNow() };
        var result = await users.CreateAsync(user, password ?? "");
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors) ModelState.AddModelError("", error.Description);
            return Page();
        }
        await signIn.SignInAsync(user, isPersistent: false);
        return Accept(invitation, user);
    }

    IActionResult Accept(Invitation invitation, PanoramaUser user)
    {
        access.Grant(user.Id, invitation.SiteId, invitation.Role);
        invitations.MarkAccepted(invitation.Id);
        audit.Record(user.Email ?? user.Id, "accepted invitation", $"{invitation.Role} on {Domain}");
        return Redirect("/sites/" + Domain);
    }

    Invitation? Load(string token)
    {
        var invitation = invitations.FindOpen(token);
        if (invitation is null) return null;
        Token = token;
        Email = invitation.Email;
        RoleName = invitation.Role.ToString();
        Domain = sites.FindById(invitation.SiteId)?.Domain ?? "";
        return invitation;
    }
}
