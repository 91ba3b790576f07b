using Panorama.Core.Decisions;
using Panorama.Core.Department;
using Panorama.Core.Spend;
using Panorama.Web.Department;

namespace Panorama.Web.Email;

/// <summary>The department's week in one message: the KPIs measured live, decisions waiting for a step, the structure's findings, budgets off pace.</summary>
public sealed record DepartmentDigest(DateOnly Today, string? Strategy, IReadOnlyList<(Objective Objective, KpiStatus Status)> Kpis,
    IReadOnlyList<Decision> AwaitingApproval, IReadOnlyList<Decision> AwaitingEvaluation, IReadOnlyList<Finding> Findings, IReadOnlyList<BudgetPacing> OffPace);

/// <summary>Gathers the digest from what the department pages show, so the message says what they say.</summary>
public sealed class DepartmentDigests(DepartmentStore store, KpiEvaluator kpis, DecisionRegister decisions, SpendStore spend)
{
    /// <summary>Where the digest's Monday 09:00 is: the department model's <c>settings.time_zone</c>.</summary>
    public TimeZoneInfo TimeZone() => TimeZoneInfo.FindSystemTimeZoneById(store.Current().Model.Settings.TimeZone);

    public async Task<DepartmentDigest> BuildAsync(CancellationToken cancellationToken)
    {
        var (model, _) = store.Current();
        var today = kpis.Today(model);
        var all = decisions.All();
        return new DepartmentDigest(
            today,
            model.CurrentStrategy(today)?.Title,
            await kpis.EvaluateAsync(model, cancellationToken),
            [.. all.Where(d => d.Status == DecisionStatus.UnderReview).OrderBy(d => d.Id)],
            [.. all.Where(d => d.Status == DecisionStatus.Implemented).OrderBy(d => d.ImplementedOn)],
            [.. StructureHealth.Check(model, today).OrderByDescending(f => f.Severity)],
            [.. spend.Pacing(model.Budgets.Where(b => b.PeriodFrom <= today && today <= b.PeriodTo), today).Where(p => p.Band is PacingBand.Under or PacingBand.Over)]);
    }
}
