using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Panorama.Cli;
using Panorama.Core.Department;
using Panorama.Tests.Support;

namespace Panorama.Tests.Browser;

/// <summary>The department's org chart and structure health report in real Chromium, on the demo department.</summary>
[Collection(ChromiumCollection.Name)]
public sealed class DepartmentPageTests(ChromiumFixture chromium) : IAsyncLifetime
{
    TestServer panorama = null!;

    public async Task InitializeAsync()
    {
        panorama = await TestServer.StartAsync();
        panorama.AddSite("demo.panorama.example");
        panorama.Services.GetRequiredService<DepartmentStore>().Save(DemoSeed.DemoDepartment(DateOnly.FromDateTime(DateTime.UtcNow)), "test");
        await panorama.CreateUserAsync("head@x.test", owner: true);
    }

    public async Task DisposeAsync() => await panorama.DisposeAsync();

    [Fact]
    public async Task OrgChartAndHealthReport_ShowTheStructureAndItsFindings()
    {
        await using var context = await chromium.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.SignInAsync(panorama, "head@x.test");

        await page.GotoAsync(panorama.BaseUrl + "/department");
        var chart = page.Locator("#org-chart");
        await Assertions.Expect(chart.Locator("[data-unit=marketing] > .org-box strong")).ToHaveTextAsync("Internet marketing");
        await Assertions.Expect(chart.Locator("[data-unit=performance]")).ToContainTextAsync("Irina Volkova");
        await Assertions.Expect(chart.Locator("[data-person=sergey] .load")).ToHaveClassAsync(new Regex("bad"));
        await Assertions.Expect(chart.Locator("[data-unit=brand] .error")).ToContainTextAsync("Social media");
        await Assertions.Expect(page.Locator("#kpis tr[data-kpi=cac] .kpi-value")).ToHaveTextAsync("1,160");
        await Assertions.Expect(page.Locator("#kpis tr[data-kpi]")).ToHaveCountAsync(5);

        await page.ClickAsync("a[href='/department/health']");
        await page.ArriveAtAsync(new Regex("/department/health$"));
        await Assertions.Expect(page.Locator(".health-rule")).ToHaveCountAsync(8);
        await Assertions.Expect(page.Locator("[data-rule='5'] tr[data-code=delegation-missing]")).ToContainTextAsync("Irina Volkova is away");
        await Assertions.Expect(page.Locator("[data-rule='3'] tr[data-code=access-of-leaver]")).ToContainTextAsync("Roman Novikov");
        await Assertions.Expect(page.Locator("[data-rule='7'] tr[data-code=person-idle]").First).ToContainTextAsync("Anna Kozlova");

        await page.SelectOptionAsync("#language", "ru");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Здоровье структуры");
        await Assertions.Expect(page.Locator("[data-rule='7'] h2")).ToContainTextAsync("Загрузка");
    }
}
