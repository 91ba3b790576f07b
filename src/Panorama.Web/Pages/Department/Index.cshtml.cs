using Microsoft.AspNetCore.Mvc;
using Panorama.Core.Accounts;
using Panorama.Core.Department;
using Panorama.Core.EmailReports;
using Panorama.Web.Department;

namespace Panorama.Web.Pages.Department;

/// <summary>The department at a glance: the strategy's KPIs measured live, the org chart, and capacity per person.</summary>
public sealed class IndexModel(DepartmentStore store, KpiEvaluator kpis, SiteAccess access, Panorama.Core.Spend.SpendStore spend,
    EmailSubscriptions emailReports, Email.SmtpMailer mailer, Email.EmailReportRunner emailRunner, TimeProvider time) : SignedInPage
{
    public DepartmentModel Model { get; private set; } = new();
    public DepartmentRevision? Revision { get; private set; }
    public Strategy? Strategy { get; private set; }
    public IReadOnlyList<(Objective Objective, KpiStatus Status)> Kpis { get; private set; } = [];
    public Dictionary<string, StructureHealth.Capacity> Capacities { get; private set; } = [];
    public int Findings { get; private set; }
    public bool CanEdit { get; private set; }
    public IReadOnlyList<BudgetPacing> Budgets { get; private set; } = [];
    public DateOnly Today => kpis.Today(Model);

    /// <summary>The signed-in person's subscription to the weekly digest, if any.</summary>
    public EmailSubscription? Digest { get; private set; }
    public bool EmailConfigured => mailer.IsConfigured;

    /// <summary>The department's time zone, where the digest's Monday 09:00 is.</summary>
    public string TimeZone => Model.Settings.TimeZone;

    /// <summary>What the last action did (the digest sent now).</summary>
    public string? Done { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        (Model, Revision) = store.Current();
        Strategy = Model.CurrentStrategy(Today);
        Kpis = await kpis.EvaluateAsync(Model, cancellationToken);
        Capacities = StructureHealth.Capacities(Model, Today).ToDictionary(c => c.Person);
        Findings = StructureHealth.Check(Model, Today).Count;
        CanEdit = access.CanManageDepartment(UserId) || !UnitScope.For(Model, User.Identity?.Name, Today).IsEmpty;
        Budgets = spend.Pacing(Model.Budgets, Today);
        Digest = MyDigest();
    }

    /// <summary>The weekly digest to the signed-in person's own address, in the language of the page.</summary>
    public async Task<IActionResult> OnPostDigestAsync(CancellationToken cancellationToken)
    {
        try
        {
            emailReports.Add(null, EmailReportKind.DepartmentDigest, User.Identity?.Name, Localization.Texts.Language, null);
        }
        catch (ArgumentException exception)
        {
            // An account name that is not an address, or the most recipients reached.
            ModelState.AddModelError("", Service<Localization.Texts>().Message(exception.Message));
            await OnGetAsync(cancellationToken);
            return Page();
        }
        return RedirectToPage();
    }

    /// <summary>Sends the signed-in person's digest now, to see it (and the mail setup) without waiting for Monday.</summary>
    public async Task<IActionResult> OnPostSendDigestAsync(CancellationToken cancellationToken)
    {
        if (MyDigest() is not { } digest) return NotFound();
        var texts = Service<Localization.Texts>();
        try
        {
            await emailRunner.SendNowAsync(null, digest, time.GetUtcNow(), cancellationToken);
            Done = texts.Format("Sent to {0}.", digest.Email);
        }
        catch (Exception exception) when (Email.SmtpMailer.IsDeliveryFailure(exception))
        {
            ModelState.AddModelError("", texts.Format("The mail server did not take the message: {0}", exception.Message));
        }
        await OnGetAsync(cancellationToken);
        return Page();
    }

    public IActionResult OnPostStopDigest()
    {
        if (MyDigest() is { } digest) emailReports.Remove(null, digest.Id);
        return RedirectToPage();
    }

    EmailSubscription? MyDigest() => emailReports.For(null).FirstOrDefault(s => string.Equals(s.Email, User.Identity?.Name, StringComparison.OrdinalIgnoreCase));

    public IEnumerable<Unit> ChildrenOf(string? parent) => Model.Units.Where(u => u.Parent == parent);

    public string PersonName(string id) => Model.People.FirstOrDefault(p => p.Id == id)?.Name ?? id;
}
