using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Panorama.Core.Accounts;
using Panorama.Core.Sites;

namespace Panorama.Web.Pages;

/// <summary>A page for signed-in people; resolves a site only when the person holds at least the given role on it.</summary>
[Authorize]
public abstract class SignedInPage : PageModel
{
    protected string UserId => User.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("Not signed in.");

    protected T Service<T>() where T : notnull => HttpContext.RequestServices.GetRequiredService<T>();

    /// <summary>The site and the person's role on it, or null — which pages answer with 404, so foreign sites stay invisible.</summary>
    protected (Site Site, SiteRole Role)? SiteFor(string? domain, SiteRole atLeast)
    {
        var normalized = SiteDomain.Normalize(domain);
        if (normalized is null || Service<SiteDirectory>().FindByDomain(normalized) is not { } site) return null;
        var role = Service<SiteAccess>().RoleOf(UserId, site.Id);
        return role is { } held && held >= atLeast ? (site, held) : null;
    }
}
