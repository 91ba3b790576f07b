using Panorama.Core.Accounts;
using Panorama.Core.Department;
using Panorama.Web.Department;

namespace Panorama.Web.Pages.Department;

/// <summary>The department at a glance: the strategy's KPIs measured live, the org chart, and capacity per person.</summary>
public sealed class IndexModel(DepartmentStore store, KpiEvaluator kpis, SiteAccess access, Panorama.Core.Spend.SpendStore spend) : SignedInPage
{
    public DepartmentModel Model { get; private set; } = new();
    public DepartmentRevision? Revision { get; private set; }
    public Strategy? Strategy { get; private set; }
    public IReadOnlyList<(Objective Objective, KpiStatus Status)> Kpis { get; private set; } = [];
    public Dictionary<string, StructureHealth.Capacity> Capacities { get; private set; } = [];
    public int Findings { get; private set; }
    public bool CanEdit { get; private set; }
    public IReadOnlyList<BudgetPacing> Budgets { get; private set; } = [];
    public DateOnly Today => kpis.Today;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        (Model, Revision) = store.Current();
        Strategy = Model.CurrentStrategy(kpis.Today);
        Kpis = await kpis.EvaluateAsync(Model, cancellationToken);
        Capacities = StructureHealth.Capacities(Model, kpis.Today).ToDictionary(c => c.Person);
        Findings = StructureHealth.Check(Model, kpis.Today).Count;
        CanEdit = access.CanManageDepartment(UserId) || !UnitScope.For(Model, User.Identity?.Name, kpis.Today).IsEmpty;
        Budgets = Model.Budgets.Select(b => BudgetPacing.Of(b,
            spend.Total(b.Channel, b.Campaign, b.PeriodFrom, b.PeriodTo < kpis.Today ? b.PeriodTo : kpis.Today, b.Currency), kpis.Today)).ToList();
    }

    public IEnumerable<Unit> ChildrenOf(string? parent) => Model.Units.Where(u => u.Parent == parent);

    public string PersonName(string id) => Model.People.FirstOrDefault(p => p.Id == id)?.Name ?? id;
}
