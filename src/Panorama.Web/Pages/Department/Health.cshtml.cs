using Microsoft.AspNetCore.Mvc;
using Panorama.Core.Department;
using Panorama.Web.Department;

namespace Panorama.Web.Pages.Department;

/// <summary>The structure health report: every rule of the seed checked, each finding with the people, functions, units and money involved.</summary>
public sealed class HealthModel(DepartmentStore store, KpiEvaluator kpis, Panorama.Core.Accounts.SiteAccess access) : SignedInPage
{
    public static readonly (int Rule, string Title, string Definition)[] Rules =
    [
        (1, "Accountability", "Every function has exactly one accountable holder, whose own authority covers the amount the function decides."),
        (2, "Backups", "Critical and unique functions have a backup with at least 'trained' proficiency; nobody is the only backup of many functions (setting only_backup_limit)."),
        (3, "Accesses", "Holders have the accesses their functions need (a higher level covers a lower one); every access is justified by a function its holder holds or backs; none is expired, overdue for review (setting access_review_days) or held by someone who left."),
        (4, "Learning time", "Booked learning hours ÷ contracted hours reach each person's target share."),
        (5, "Delegation", "A holder who is away today has delegated each function; delegations of one function do not overlap; expired ones (last 30 days) are listed."),
        (6, "Strategy fit", "Every function and unit serves an objective of the strategy in force, every objective is served, and the structure was reviewed after the strategy last changed."),
        (7, "Capacity", "Load = weekly hours of the functions held ÷ available hours (contracted × (1 − days away in the next weeks ÷ days) − learning hours). Above 100% is overload (the KPIs those functions serve are at risk); below the idle threshold (setting idle_below) the unused share of the monthly cost is excess cost."),
        (8, "Subdivisions", "Independent subdivisions have a budget and an authority of their own."),
    ];

    public IReadOnlyList<Finding> Findings { get; private set; } = [];
    public DepartmentModel Model { get; private set; } = new();
    public DateOnly Today => kpis.Today(Model);
    bool manager;
    UnitScope scope = UnitScope.None;

    public IActionResult OnGet(string? format)
    {
        Model = store.Current().Model;
        Findings = StructureHealth.Check(Model, Today);
        manager = access.CanManageDepartment(UserId);
        scope = UnitScope.For(Model, User.Identity?.Name, Today);
        if (format == "csv") return File(System.Text.Encoding.UTF8.GetBytes(DepartmentEndpoints.HealthCsv(Findings)), "text/csv", $"structure-health-{Today:yyyy-MM-dd}.csv");
        return Page();
    }

    /// <summary>
    /// The access review workflow: the reviewer confirms the access is still needed; the review date moves to today. The owner
    /// and admins review any access, a unit's head those of the people inside their units.
    /// </summary>
    public IActionResult OnPostReviewed(string person, string system)
    {
        var model = store.Current().Model;
        if (!access.CanManageDepartment(UserId)
            && !UnitScope.For(model, User.Identity?.Name, kpis.Today(model)).Covers(model, model.People.FirstOrDefault(p => p.Id == person)?.Unit))
            return NotFound();
        return store.MarkAccessReviewed(person, system, User.Identity?.Name ?? UserId) ? RedirectToPage() : NotFound();
    }

    /// <summary>Whether this person may mark the person's accesses reviewed: a manager, or the head of a unit they are in.</summary>
    public bool CanReview(string person) => manager || scope.Covers(Model, Model.People.FirstOrDefault(p => p.Id == person)?.Unit);

    public string Names(IEnumerable<string> ids, Func<string, string?> name) => string.Join(", ", ids.Select(id => name(id) ?? id));
}
