using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Panorama.Core.Accounts;
using Panorama.Core.Department;
using Panorama.Tests.Support;

namespace Panorama.Tests.Integration;

/// <summary>The department through the CLI, the API and the editor form, with real storage; KPIs measured from known events.</summary>
public sealed class DepartmentTests : IAsyncLifetime
{
    TestServer server = null!;
    int siteId;

    public async Task InitializeAsync()
    {
        server = await TestServer.StartAsync();
        siteId = server.AddSite("shop.test").Id;
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    static string Model(DateOnly today, string accountable = "anna") => $$"""
        strategies:
          - id: s1
            title: Sell more
            effective_from: {{today.AddDays(-30):yyyy-MM-dd}}
            objectives:
              - id: leads
                title: Leads
                kpis:
                  - {id: signups, name: Sign-ups, site: shop.test, metric: visitors, filters: [["is", "event:name", ["Signup"]]], target: 10, period_from: {{today.AddDays(-3):yyyy-MM-dd}}, period_to: {{today.AddDays(6):yyyy-MM-dd}}}
        units: [{id: web, name: Web}]
        people: [{id: anna, name: Anna, unit: web, hours_per_week: 40}]
        functions: [{id: seo, name: SEO, unit: web, accountable: [{{accountable}}], weekly_hours: 30, objectives: [leads]}]
        """;

    async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? key, string? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (key is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/yaml");
        return await server.Http.SendAsync(request);
    }

    static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    [Fact]
    public async Task Api_PutNeedsAnAllSitesKey_InvalidModelRejectedWhole_AuditRecordsBeforeAndAfter()
    {
        var siteKey = server.CreateKey(siteId);
        var ownerKey = server.CreateKey();
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(HttpMethod.Put, "/api/department", siteKey, Model(Today))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(HttpMethod.Get, "/api/department", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Get, "/api/department/health", siteKey)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Put, "/api/department", ownerKey, Model(Today))).StatusCode);
        var invalid = await SendAsync(HttpMethod.Put, "/api/department", ownerKey, Model(Today, accountable: "ghost"));
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var problem = JsonNode.Parse(await invalid.Content.ReadAsStringAsync())!;
        Assert.Equal("line 12: accountable: no person has id 'ghost'.", (string)problem["errors"]![0]!);
        var stored = await (await SendAsync(HttpMethod.Get, "/api/department?format=json", ownerKey)).Content.ReadAsStringAsync();
        Assert.Equal("anna", (string)JsonNode.Parse(stored)!["functions"]![0]!["accountable"]![0]!);

        var renamed = Model(Today).Replace("name: SEO", "name: Search engine optimisation", StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Put, "/api/department", ownerKey, renamed)).StatusCode);
        var audit = JsonNode.Parse(await (await SendAsync(HttpMethod.Get, "/api/department/audit", ownerKey)).Content.ReadAsStringAsync())!["revisions"]!.AsArray();
        Assert.Equal(2, audit.Count);
        var change = audit[0]!["changes"]!.AsArray().Single()!;
        Assert.Equal(("function", "seo"), ((string)change["kind"]!, (string)change["id"]!));
        Assert.Contains("\"SEO\"", (string)change["before"]!);
        Assert.Contains("Search engine optimisation", (string)change["after"]!);
        Assert.Equal("key test", (string)audit[0]!["saved_by"]!);
    }

    /// <summary>
    /// A zone whose date differs from UTC's now: 14 hours ahead once UTC is past 10:00, 12 behind before noon. The dates a
    /// department's pages and API work with are its own.
    /// </summary>
    public static (string Zone, DateOnly Today) ZoneOnAnotherDay()
    {
        var now = DateTime.UtcNow;
        return now.Hour >= 11 ? ("Pacific/Kiritimati", DateOnly.FromDateTime(now.AddHours(14))) : ("Etc/GMT+12", DateOnly.FromDateTime(now.AddHours(-12)));
    }

    [Fact]
    public async Task Dates_AreTheDepartmentsTimeZones()
    {
        var ownerKey = server.CreateKey();
        var (zone, today) = ZoneOnAnotherDay();
        Assert.NotEqual(Today, today);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Put, "/api/department", ownerKey, $"settings: {{time_zone: {zone}}}\n" + Model(today))).StatusCode);
        var health = JsonNode.Parse(await (await SendAsync(HttpMethod.Get, "/api/department/health", ownerKey)).Content.ReadAsStringAsync())!;
        Assert.Equal(today.ToString("yyyy-MM-dd"), (string)health["date"]!);
        var kpis = JsonNode.Parse(await (await SendAsync(HttpMethod.Get, "/api/department/kpis", ownerKey)).Content.ReadAsStringAsync())!;
        Assert.Equal(today.ToString("yyyy-MM-dd"), (string)kpis["date"]!);
    }

    [Fact]
    public async Task Kpis_AnalyticsKpi_MeasuredFromKnownEvents()
    {
        var ownerKey = server.CreateKey();
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Put, "/api/department", ownerKey, Model(Today))).StatusCode);
        var yesterday = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(-1).AddHours(10), TimeSpan.Zero);
        for (var i = 1; i <= 3; i++)
            Assert.True((await server.PostEventAsync(EventBodies.Event("Signup", "shop.test", "https://shop.test/join", yesterday.AddMinutes(i), $"203.0.113.{i}", UserAgents.ChromeWindows), ownerKey)).IsSuccessStatusCode);
        // Outside the KPI's period: not counted.
        Assert.True((await server.PostEventAsync(EventBodies.Event("Signup", "shop.test", "https://shop.test/join", yesterday.AddDays(-10), "203.0.113.9", UserAgents.ChromeWindows), ownerKey)).IsSuccessStatusCode);

        var kpi = JsonNode.Parse(await (await SendAsync(HttpMethod.Get, "/api/department/kpis", ownerKey)).Content.ReadAsStringAsync())!["kpis"]![0]!;
        Assert.Equal(3m, (decimal)kpi["value"]!);
        Assert.Equal(0.3m, (decimal)kpi["progress"]!);
        // 3 in the first 4 of 10 days: 7.5 expected by the end, short of 10.
        Assert.Equal(7.5m, (decimal)kpi["expected"]!);
        Assert.False((bool)kpi["on_track"]!);
    }

    [Fact]
    public async Task EditorForm_OnlyOwnerAndAdminsChange_ViewersRead()
    {
        await server.CreateUserAsync("viewer@x.test", false, (siteId, SiteRole.Viewer));
        await server.CreateUserAsync("admin@x.test", false, (siteId, SiteRole.Admin));
        using var viewer = await WebSession.SignInAsync(server, "viewer@x.test");
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/department")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/department/health")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await viewer.GetAsync("/department/edit")).StatusCode);
        var refused = await viewer.PostFormAsync("/department", "/department/edit", new() { ["text"] = Model(Today) });
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Null(server.Services.GetRequiredService<DepartmentStore>().Current().Revision);

        using var admin = await WebSession.SignInAsync(server, "admin@x.test");
        var bad = await admin.PostFormAsync("/department/edit", "/department/edit", new() { ["text"] = Model(Today, accountable: "ghost") });
        Assert.Contains("line 12: accountable: no person has id &#x27;ghost&#x27;.", await bad.Content.ReadAsStringAsync());
        Assert.Null(server.Services.GetRequiredService<DepartmentStore>().Current().Revision);
        var saved = await admin.PostFormAsync("/department/edit", "/department/edit", new() { ["text"] = Model(Today), ["note"] = "first draft" });
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var revision = server.Services.GetRequiredService<DepartmentStore>().Current().Revision!;
        Assert.Equal(("admin@x.test", "first draft"), (revision.SavedBy, revision.Note));
        Assert.Contains("first draft", await (await viewer.GetAsync("/department/audit")).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Cli_ImportRejectsWithLineNumbers_ThenImportsAndExports()
    {
        using var data = new TempDirectory();
        var file = Path.Combine(data.Path, "department.yaml");
        await File.WriteAllTextAsync(file, Model(Today, accountable: "ghost"));
        var (code, _, error) = await PanoramaProcess.RunAsync("department", "import", file, "--data", data.Path);
        Assert.Equal(1, code);
        Assert.Contains($"{file}: line 12: accountable: no person has id 'ghost'.", error);
        (code, var output, _) = await PanoramaProcess.RunAsync("department", "export", "--data", data.Path);
        Assert.DoesNotContain("anna", output);

        await File.WriteAllTextAsync(file, Model(Today));
        (code, _, _) = await PanoramaProcess.RunAsync("department", "import", file, "--data", data.Path);
        Assert.Equal(0, code);
        (code, output, _) = await PanoramaProcess.RunAsync("department", "export", "--format", "json", "--data", data.Path);
        Assert.Equal(0, code);
        Assert.Equal("Anna", (string)JsonNode.Parse(output)!["people"]![0]!["name"]!);
    }

    [Fact]
    public async Task EditorPreview_ShowsAsIsAndToBe_SavesNothing_AndAccessReviewMovesTheDate()
    {
        await server.CreateUserAsync("owner@x.test", owner: true);
        var store = server.Services.GetRequiredService<DepartmentStore>();
        var withAccess = Model(Today) + $"\naccesses: [{{person: anna, system: CMS, level: write, granted_on: {Today.AddDays(-200):yyyy-MM-dd}}}]\n";
        store.Save(withAccess, "test");
        using var owner = await WebSession.SignInAsync(server, "owner@x.test");
        var hired = withAccess.Replace("people: [{id: anna, name: Anna, unit: web, hours_per_week: 40}]",
            "people: [{id: anna, name: Anna, unit: web, hours_per_week: 40}, {id: boris, name: Boris, unit: web, hours_per_week: 40, monthly_cost: 2500}]", StringComparison.Ordinal);
        var preview = await (await owner.PostFormAsync("/department/edit", "/department/edit?handler=Preview", new() { ["text"] = hired })).Content.ReadAsStringAsync();
        Assert.Contains("id=\"cost-change\">&#x2B;2,500", preview);
        Assert.Single(store.History());

        Assert.Contains(StructureHealth.Check(store.Current().Model, Today), f => f.Code == "access-review-overdue");
        var reviewed = await owner.PostFormAsync("/department/health", "/department/health?handler=Reviewed", new() { ["person"] = "anna", ["system"] = "CMS" });
        Assert.Equal(HttpStatusCode.Redirect, reviewed.StatusCode);
        Assert.DoesNotContain(StructureHealth.Check(store.Current().Model, Today), f => f.Code == "access-review-overdue");
        var latest = store.History()[0];
        Assert.Equal(("owner@x.test", "Access reviewed: anna → CMS"), (latest.Revision.SavedBy, latest.Revision.Note));
    }
    [Fact]
    public async Task UnitHead_WithoutSiteRoles_ChangesInsideTheirUnit_RefusedBeyondIt()
    {
        var store = server.Services.GetRequiredService<DepartmentStore>();
        var model = Model(Today).Replace("units: [{id: web, name: Web}]", "units: [{id: web, name: Web, head: anna}, {id: brand, name: Brand}]", StringComparison.Ordinal)
            .Replace("people: [{id: anna, name: Anna, unit: web, hours_per_week: 40}]",
                "people: [{id: anna, name: Anna, unit: web, hours_per_week: 40, account: anna@x.test}, {id: bea, name: Bea, unit: brand, hours_per_week: 40}]", StringComparison.Ordinal);
        store.Save(model, "test");
        await server.CreateUserAsync("anna@x.test");
        await server.CreateUserAsync("stranger@x.test");
        using (var stranger = await WebSession.SignInAsync(server, "stranger@x.test"))
        {
            Assert.DoesNotContain("/department/edit", await (await stranger.GetAsync("/department")).Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync("/department/edit")).StatusCode);
        }

        using var anna = await WebSession.SignInAsync(server, "anna@x.test");
        Assert.Contains("/department/edit", await (await anna.GetAsync("/department")).Content.ReadAsStringAsync());
        Assert.Contains("id=\"unit-scope\">You head web", await (await anna.GetAsync("/department/edit")).Content.ReadAsStringAsync());
        var beyond = await anna.PostFormAsync("/department/edit", "/department/edit",
            new() { ["text"] = model.Replace("{id: bea, name: Bea, unit: brand, hours_per_week: 40}", "{id: bea, name: Bea, unit: brand, hours_per_week: 20}", StringComparison.Ordinal) });
        Assert.Contains("person bea: outside the units you head (web).", await beyond.Content.ReadAsStringAsync());
        Assert.Single(store.History());

        var hired = await anna.PostFormAsync("/department/edit", "/department/edit",
            new() { ["text"] = model.Replace("{id: bea,", "{id: tim, name: Tim, unit: web, hours_per_week: 40}, {id: bea,", StringComparison.Ordinal), ["note"] = "hired Tim" });
        Assert.Equal(HttpStatusCode.OK, hired.StatusCode);
        Assert.Equal(("anna@x.test", "hired Tim"), (store.History()[0].Revision.SavedBy, store.History()[0].Revision.Note));
        Assert.Contains(store.Current().Model.People, p => p.Id == "tim" && p.Unit == "web");
    }
}
