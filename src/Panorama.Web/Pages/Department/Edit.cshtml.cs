using Microsoft.AspNetCore.Mvc;
using Panorama.Core.Accounts;
using Panorama.Core.Department;

namespace Panorama.Web.Pages.Department;

/// <summary>
/// Editing the whole department model as YAML (or JSON): saved as a new revision when valid, otherwise every error
/// is shown with its line and nothing is saved. The owner and site admins change all of it; the head of a unit (a person
/// whose account is theirs) what lies inside the units they head.
/// </summary>
public sealed class EditModel(DepartmentStore store, SiteAccess access, TimeProvider time) : SignedInPage
{
    /// <summary>As-is against the text's to-be, when the person asked for a preview instead of saving.</summary>
    public StructureComparison? Comparison { get; private set; }

    public string Text { get; set; } = "";
    public IReadOnlyList<string> Errors { get; private set; } = [];
    public bool Saved { get; private set; }

    /// <summary>The units a head who is not a manager may change within; null for the owner and admins (everything).</summary>
    public UnitScope? Scope { get; private set; }

    /// <summary>Whether this person may edit at all: a manager, or the head of some unit.</summary>
    bool MayEdit()
    {
        if (access.CanManageDepartment(UserId)) return true;
        Scope = store.ScopeOf(User.Identity?.Name);
        return !Scope.IsEmpty;
    }

    public IActionResult OnGet()
    {
        if (!MayEdit()) return NotFound();
        Text = DepartmentDocument.Write(store.Current().Model);
        return Page();
    }

    public IActionResult OnPostPreview(string? text)
    {
        if (!MayEdit()) return NotFound();
        Text = text ?? "";
        try
        {
            var current = store.Current().Model;
            Comparison = StructureComparison.Of(current, DepartmentDocument.Parse(Text), current.TodayAt(time.GetUtcNow()));
        }
        catch (DepartmentDocumentException exception)
        {
            Errors = exception.Errors;
        }
        return Page();
    }

    public IActionResult OnPost(string? text, string? note)
    {
        if (!MayEdit()) return NotFound();
        Text = text ?? "";
        try
        {
            if (Scope is null) store.Save(Text, User.Identity?.Name ?? UserId, note ?? "");
            else store.SaveWithin(Scope, Text, User.Identity?.Name ?? UserId, note ?? "");
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
