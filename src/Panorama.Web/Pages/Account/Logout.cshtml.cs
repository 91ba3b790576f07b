using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Panorama.Core.Accounts;
using Panorama.Web.Accounts;

namespace Panorama.Web.Pages.Account;

public sealed class LogoutModel(SignInManager<PanoramaUser> signIn) : PageModel
{
    public IActionResult OnGet() => Redirect("/");

    public async Task<IActionResult> OnPostAsync()
    {
        await signIn.SignOutAsync();
        return Redirect(AccountServices.LoginPath);
    }
}
