using Microsoft.AspNetCore.Mvc;
using Panorama.Core.Accounts;
using Panorama.Core.Department;

namespace Panorama.Web.Pages.Department;

/// <summary>
/// Editing the whole department model as YAML (or JSON): saved as a new revision when valid, otherwise every error
/// is shown with its line and nothing is saved. Owner and site admins only.
/// </summary>
public sealed class EditModel(DepartmentStore store, SiteAccess access, TimeProvider time) : SignedInPage
{
    /// <summary>As-is against the text's to-be, when the person asked for a preview instead of saving.</summary>
    public StructureComparison? Comparison { get; private set; }

    public string Text { get; set; } = "";
    public IReadOnlyList<string> Errors { get; private set; } = [];
    public bool Saved { get; private set; }

    public IActionResult OnGet()
    {
        if (!access.CanManageDepartment(UserId)) return NotFound();
        Text = DepartmentDocument.Write(store.Current().Model);
        return Page();
    }

    public IActionResult OnPostPreview(string? text)
    {
        if (!access.CanManageDepartment(UserId)) return NotFound();
        Text = text ?? "";
        try
        {
            Comparison = StructureComparison.Of(store.Current().Model, DepartmentDocument.Parse(Text), DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime));
        }
        catch (DepartmentDocumentException exception)
        {
            Errors = exception.Errors;
        }
        return Page();
    }

    public IActionResult OnPost(string? text, string? note)
    {
        if (!access.CanManageDepartment(UserId)) return NotFound();
        Text = text ?? "";
        try
        {
            store.Save(Text, User.Identity?.Name ?? UserId, note ?? "");
            Saved = true;
            Text = DepartmentDocument.Write(store.Current().Model);
        }
        catch (DepartmentDocumentException exception)
        {
            Errors = exception.Errors;
        }
        return Page();
    }
}
