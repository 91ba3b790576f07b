using Panorama.Core.Department;

namespace Panorama.Tests.Unit.Department;

public sealed class StructureComparisonTests
{
    [Fact]
    public void Of_HiringAPersonAndFundingAUnit_CostsTheirSumAMonth()
    {
        var today = new DateOnly(2026, 11, 26);
        var asIs = DepartmentDocument.Parse("""
            units: [{id: web, name: Web}]
            people: [{id: anna, name: Anna, unit: web, hours_per_week: 40, monthly_cost: 3000}]
            functions: [{id: seo, name: SEO, unit: web, accountable: [anna], weekly_hours: 30}]
            """);
        var toBe = DepartmentDocument.Parse("""
            units: [{id: web, name: Web, monthly_budget: 500}]
            people: [{id: anna, name: Anna, unit: web, hours_per_week: 40, monthly_cost: 3000}, {id: boris, name: Boris, unit: web, hours_per_week: 20, monthly_cost: 1500}]
            functions: [{id: seo, name: SEO, unit: web, accountable: [anna], weekly_hours: 30}, {id: ads, name: Ads, unit: web, accountable: [boris], weekly_hours: 15}]
            """);
        var comparison = StructureComparison.Of(asIs, toBe, today);
        Assert.Equal(2000m, comparison.MonthlyCostChange);
        Assert.Equal((40m, 60m), (comparison.AvailableHoursAsIs, comparison.AvailableHoursToBe));
        Assert.Equal((30m, 45m), (comparison.WorkloadHoursAsIs, comparison.WorkloadHoursToBe));
        Assert.Equal(["unit web", "person boris", "function ads"], comparison.Changes.Select(c => $"{c.Kind} {c.Id}"));
    }
}
