using Microsoft.AspNetCore.Mvc;
using Panorama.Core.Access;
using Panorama.Core.Accounts;
using Panorama.Core.Sites;
using Panorama.Web.Localization;

namespace Panorama.Web.Pages.Keys;

/// <summary>
/// API keys in the web interface. A person scopes keys to sites where they are at least editor (what a key can do);
/// only the owner may create a key for every site and sees every key.
/// </summary>
public sealed class IndexModel(ApiKeyService keys, SiteAccess access, AccessAudit audit, Texts texts) : SignedInPage
{
    public IReadOnlyList<ApiKey> Keys { get; set; } = [];
    public IReadOnlyList<Site> Sites { get; set; } = [];
    public bool IsOwner { get; set; }
    public string? NewSecret { get; set; }
    Dictionary<int, string> domains = [];

    public string DomainOf(int siteId) => domains.GetValueOrDefault(siteId, "#" + siteId);

    public void OnGet() => Load();

    public IActionResult OnPostCreate(string? name, int[]? sites)
    {
        Load();
        var chosen = (sites ?? []).Distinct().ToList();
        if (string.IsNullOrWhiteSpace(name)) ModelState.AddModelError("", texts["A key needs a name."]);
        else if (chosen.Count == 0 && !IsOwner) ModelState.AddModelError("", texts["Choose at least one site."]);
        else if (chosen.Any(id => Sites.All(s => s.Id != id))) return NotFound();
        if (!ModelState.IsValid) return Page();
        NewSecret = keys.Create(name!, chosen, UserId).Secret;
        audit.Record(User.Identity?.Name ?? UserId, "created API key", $"'{name!.Trim()}' for {(chosen.Count == 0 ? "every site" : string.Join(", ", chosen.Select(DomainOf)))}");
        Load();
        return Page();
    }

    public IActionResult OnPostDelete(int id)
    {
        IsOwner = access.IsOwner(UserId);
        if (!keys.Delete(id, IsOwner ? null : UserId)) return NotFound();
        audit.Record(User.Identity?.Name ?? UserId, "deleted API key", $"#{id}");
        return RedirectToPage();
    }

    void Load()
    {
        IsOwner = access.IsOwner(UserId);
        var mine = access.SitesOf(UserId);
        domains = mine.ToDictionary(s => s.Site.Id, s => s.Site.Domain);
        Sites = mine.Where(s => s.Role >= SiteRole.Editor).Select(s => s.Site).ToList();
        Keys = IsOwner ? keys.All() : keys.CreatedBy(UserId);
    }
}
