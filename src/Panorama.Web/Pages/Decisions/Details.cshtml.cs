using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Panorama.Core.Accounts;
using Panorama.Core.Decisions;
using Panorama.Web.Localization;

namespace Panorama.Web.Pages.Decisions;

/// <summary>One decision: its analysis, baseline, workflow steps, measured outcome and history.</summary>
public sealed class DetailsModel(DecisionRegister register, SiteAccess access, Panorama.Core.Department.DepartmentStore department, TimeProvider time, Texts texts) : SignedInPage
{
    public Decision Decision { get; private set; } = null!;
    public IReadOnlyList<DecisionMetric> Metrics { get; private set; } = [];
    public IReadOnlyList<MetricOutcome> Outcomes { get; private set; } = [];
    public IReadOnlyList<DecisionRevision> History { get; private set; } = [];
    public bool IsHead { get; private set; }
    public bool CanManage { get; private set; }
    public string? Error { get; private set; }
    /// <summary>The latest implementation date the form offers: today where the decision's days are counted.</summary>
    public DateOnly Today { get; private set; }

    public IActionResult OnGet(int id) => Load(id) ? Page() : NotFound();

    public IActionResult OnPostSubmit(int id) => Step(id, () => register.Submit(id, Who));

    public IActionResult OnPostDecide(int id, bool approve, string? note) => Step(id, () => register.Decide(id, approve, Who, IsHead, note ?? ""), manager: true);

    public IActionResult OnPostImplement(int id, DateOnly on) => Step(id, () => register.Implement(id, on, Who), manager: true);

    public async Task<IActionResult> OnPostEvaluateAsync(int id, int? days, CancellationToken cancellationToken)
    {
        if (!Load(id)) return NotFound();
        if (!CanManage) return NotFound();
        try
        {
            await register.EvaluateAsync(id, Who, days ?? DecisionRegister.DefaultWindowDays, cancellationToken);
            return RedirectToPage(new { id });
        }
        catch (DecisionRegister.WorkflowException exception)
        {
            Error = texts.Message(exception.Message);
            return Page();
        }
    }

    string Who => User.Identity?.Name ?? UserId;

    IActionResult Step(int id, Action step, bool manager = false)
    {
        if (!Load(id)) return NotFound();
        if (manager && !CanManage) return NotFound();
        try
        {
            step();
            return RedirectToPage(new { id });
        }
        catch (DecisionRegister.WorkflowException exception)
        {
            Error = texts.Message(exception.Message);
            return Page();
        }
    }

    bool Load(int id)
    {
        if (register.Find(id) is not { } decision) return false;
        // A decision about a site is visible to those who can see the site; one about no site to everyone with an account.
        if (decision.SiteId is { } siteId && access.RoleOf(UserId, siteId) is null) return false;
        Decision = decision;
        Metrics = JsonSerializer.Deserialize<List<DecisionMetric>>(decision.MetricsJson) ?? [];
        Outcomes = decision.OutcomeJson is null ? [] : JsonSerializer.Deserialize<List<MetricOutcome>>(decision.OutcomeJson) ?? [];
        History = register.History(id);
        // The head of marketing (an owner account), or whoever the head has delegated a function with enough authority to today.
        Today = register.TodayFor(decision);
        var model = department.Current().Model;
        IsHead = access.IsOwner(UserId) || (User.Identity?.Name is { } email
            && model.HoldsDelegatedHeadAuthority(email, access.OwnerEmails(), decision.Cost, model.TodayAt(time.GetUtcNow())));
        CanManage = access.CanManageDepartment(UserId);
        return true;
    }
}
