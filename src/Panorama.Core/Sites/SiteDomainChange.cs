using Panorama.Core.Accounts;
using Panorama.Core.Department;

namespace Panorama.Core.Sites;

/// <summary>
/// A site's new domain everywhere it is named: the site keeps its data and id, its old domain reaches it for
/// <see cref="SiteDirectory.DomainTransition"/> (trackers and API clients not yet updated), the department's KPIs on it
/// follow in a new revision, and the access log records who did it.
/// </summary>
public sealed class SiteDomainChange(SiteDirectory sites, DepartmentStore department, AccessAudit audit)
{
    /// <summary>Throws <see cref="ArgumentException"/> for a domain that is not valid or belongs to another site.</summary>
    public Site Apply(Site site, string newDomain, string actor)
    {
        var old = site.Domain;
        var changed = sites.ChangeDomain(site.Id, newDomain);
        if (changed.Domain == old) return changed;
        audit.Record(actor, "changed domain", $"{old} → {changed.Domain}");
        department.RenameSite(old, changed.Domain, actor);
        return changed;
    }
}
