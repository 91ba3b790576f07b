using Panorama.Core.Department;

namespace Panorama.Web.Pages.Department;

/// <summary>The audit log of the department: each revision with who saved it, when, and every entity before and after.</summary>
public sealed class AuditModel(DepartmentStore store) : SignedInPage
{
    public IReadOnlyList<(DepartmentRevision Revision, IReadOnlyList<DepartmentChange> Changes)> History { get; private set; } = [];

    public void OnGet() => History = store.History();
}
