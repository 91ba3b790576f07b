namespace Panorama.Core.Department;

/// <summary>
/// As-is against to-be (P5: the structure changes with the strategy): what a proposed model changes, and what it
/// costs a month — people, unit budgets — and does to capacity and to the health findings.
/// </summary>
public sealed record StructureComparison(
    IReadOnlyList<DepartmentChange> Changes,
    decimal PeopleCostAsIs, decimal PeopleCostToBe,
    decimal BudgetsAsIs, decimal BudgetsToBe,
    decimal AvailableHoursAsIs, decimal AvailableHoursToBe,
    decimal WorkloadHoursAsIs, decimal WorkloadHoursToBe,
    int FindingsAsIs, int FindingsToBe)
{
    public decimal MonthlyCostChange => PeopleCostToBe + BudgetsToBe - PeopleCostAsIs - BudgetsAsIs;

    public static StructureComparison Of(DepartmentModel asIs, DepartmentModel toBe, DateOnly today)
    {
        static decimal People(DepartmentModel model, DateOnly day) => model.People.Where(p => !p.HasLeft(day)).Sum(p => p.MonthlyCost);
        static decimal Budgets(DepartmentModel model) => model.Units.Sum(u => u.MonthlyBudget ?? 0);
        var capacityAsIs = StructureHealth.Capacities(asIs, today);
        var capacityToBe = StructureHealth.Capacities(toBe, today);
        return new StructureComparison(
            DepartmentStore.Changes(asIs, toBe),
            People(asIs, today), People(toBe, today), Budgets(asIs), Budgets(toBe),
            capacityAsIs.Sum(c => c.Available), capacityToBe.Sum(c => c.Available),
            asIs.Functions.Sum(f => f.WeeklyHours), toBe.Functions.Sum(f => f.WeeklyHours),
            StructureHealth.Check(asIs, today).Count, StructureHealth.Check(toBe, today).Count);
    }
}
