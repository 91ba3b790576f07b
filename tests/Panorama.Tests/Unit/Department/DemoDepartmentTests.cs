using Panorama.Cli;
using Panorama.Core.Department;

namespace Panorama.Tests.Unit.Department;

/// <summary>The demo department is valid and shows every rule of the health report at work.</summary>
public sealed class DemoDepartmentTests
{
    [Fact]
    public void DemoDepartment_Parses_AndHasFindingsUnderEveryRule()
    {
        var today = new DateOnly(2026, 11, 26);
        var model = DepartmentDocument.Parse(DemoSeed.DemoDepartment(today));
        Assert.InRange(model.People.Count, 10, 14);
        Assert.InRange(model.Functions.Count, 20, 30);
        var findings = StructureHealth.Check(model, today);
        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8], findings.Select(f => f.Rule).Distinct().Order());
        Assert.Contains(findings, f => f.Code == "delegation-missing" && f.People.Contains("irina"));
        Assert.Contains(findings, f => f.Code == "access-of-leaver" && f.People.Contains("roman"));
    }
}
