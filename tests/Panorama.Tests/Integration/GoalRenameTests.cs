using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Panorama.Core.Accounts;
using Panorama.Core.Goals;
using Panorama.Core.Ingestion;
using Panorama.Tests.Support;
using static Panorama.Tests.Support.EventBodies;

namespace Panorama.Tests.Integration;

/// <summary>
/// A goal renamed counts what it counted: reports show the new name, and filters, funnels and saved views that name it by
/// its old name still reach it (the department's KPIs and the decisions' metrics are such filters).
/// </summary>
public sealed class GoalRenameTests : IAsyncLifetime
{
    const string Domain = "rename.example";
    static readonly DateTimeOffset Day = new(2026, 10, 10, 0, 0, 0, TimeSpan.Zero);
    TestServer server = null!;
    int siteId;
    string key = "";

    public async Task InitializeAsync()
    {
        server = await TestServer.StartAsync();
        siteId = server.AddSite(Domain).Id;
        key = server.CreateKey(siteId);
        // Two visitors sign up, one of them after reading /pricing; a third only reads /pricing.
        JsonObject[] traffic =
        [
            Pageview(Domain, "/pricing", Day.AddHours(9), "198.51.100.1"),
            Event("Signup", Domain, $"https://{Domain}/pricing", Day.AddHours(9).AddMinutes(1), "198.51.100.1", UserAgents.ChromeWindows),
            Pageview(Domain, "/", Day.AddHours(10), "198.51.100.2"),
            Event("Signup", Domain, $"https://{Domain}/", Day.AddHours(10).AddMinutes(1), "198.51.100.2", UserAgents.ChromeWindows),
            Pageview(Domain, "/pricing", Day.AddHours(11), "198.51.100.3"),
        ];
        foreach (var body in traffic) Assert.Equal(HttpStatusCode.Accepted, (await server.PostEventAsync(body, key)).StatusCode);
        await server.Services.GetRequiredService<EventBatchWriter>().WaitUntilStoredAsync(CancellationToken.None);
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    GoalService Goals => server.Services.GetRequiredService<GoalService>();

    Task<(HttpStatusCode Status, JsonObject Body)> Send(HttpMethod method, string path, string? json) =>
        server.SendAsync(method, path, key, json is null ? null : new StringContent(json, Encoding.UTF8, "application/json"));

    async Task<string[]> Rows(string query)
    {
        var (status, body) = await Send(HttpMethod.Post, "/api/v2/query",
            $$"""{"site_id": "{{Domain}}", "date_range": ["2026-10-10", "2026-10-10"], {{query}}}""");
        Assert.True(status == HttpStatusCode.OK, body.ToJsonString());
        return [.. body["results"]!.AsArray().Select(r => string.Join("|",
            r!["dimensions"]!.AsArray().Select(d => (string)d!).Concat(r["metrics"]!.AsArray().Select(m => m!.ToJsonString()))))];
    }

    [Fact]
    public async Task Rename_ReportsShowTheNewName_TheOldOneStillFiltersFunnelsAndSavedViewsFollow()
    {
        var signup = Goals.Add(siteId, null, "Signup", null);
        var pricing = Goals.Add(siteId, "/pricing", null, null);
        var views = server.Services.GetRequiredService<SavedViews>();
        var funnel = views.Save(siteId, SavedViewKind.Funnel, "Pricing to signup", "Visit /pricing\nSignup");
        var segment = views.Save(siteId, SavedViewKind.Segment, "Signed up", "event:goal|is|Signup\nvisit:country|is_not|Signup");

        var (status, renamed) = await Send(HttpMethod.Patch, $"/api/v2/goals/{signup.Id}?site_id={Domain}", """{"display_name": "Sign-ups"}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(("Sign-ups", "Signup", """["Signup"]"""), ((string)renamed["display_name"]!, (string)renamed["event_name"]!, renamed["former_names"]!.ToJsonString()));

        Assert.Equal(["Sign-ups|2|2", "Visit /pricing|2|2"], (await Rows("""
            "metrics": ["visitors", "events"], "dimensions": ["event:goal"]
            """)).Order(StringComparer.Ordinal));
        // The old name (a dashboard link, a KPI, a decision's metric from before) and the new one filter alike.
        foreach (var name in new[] { "Signup", "Sign-ups" })
            Assert.Equal(["2"], await Rows($$"""
                "metrics": ["visitors"], "filters": [["is", "event:goal", ["{{name}}"]]]
                """));
        var (funnelStatus, reach) = await Send(HttpMethod.Post, "/api/v2/funnel", $$"""
            {"site_id": "{{Domain}}", "date_range": ["2026-10-10", "2026-10-10"], "steps": [{"goal": "Visit /pricing"}, {"goal": "Signup"}]}
            """);
        Assert.True(funnelStatus == HttpStatusCode.OK, reach.ToJsonString());
        Assert.Equal("[2,1]", new JsonArray([.. reach["steps"]!.AsArray().Select(s => (JsonNode)s!["visitors"]!.GetValue<long>())]).ToJsonString());
        Assert.Equal("Sign-ups", (string)reach["steps"]![1]!["label"]!);

        // The site's saved funnel and segment name it anew; a line that is not about the goal stays as it was.
        Assert.Equal(["Visit /pricing", "Sign-ups"], views.For(siteId, SavedViewKind.Funnel).Single(v => v.Id == funnel.Id).LineList);
        Assert.Equal(["event:goal|is|Sign-ups", "visit:country|is_not|Signup"], views.For(siteId, SavedViewKind.Segment).Single(v => v.Id == segment.Id).LineList);

        // Neither name can go to another goal, by a rename or by a new goal.
        var (taken, problem) = await Send(HttpMethod.Patch, $"/api/v2/goals/{pricing.Id}?site_id={Domain}", """{"display_name": "Signup"}""");
        Assert.Equal(HttpStatusCode.BadRequest, taken);
        Assert.Contains($"goal {signup.Id} was called 'Signup'", (string)problem["detail"]!);
        var (created, _) = await Send(HttpMethod.Post, $"/api/v2/goals?site_id={Domain}", """{"event_name": "Trial", "display_name": "Sign-ups"}""");
        Assert.Equal(HttpStatusCode.BadRequest, created);

        // Back to the old name, then to the default one: the names it had are kept, its current one is not among them.
        Assert.Equal("""["Visit /pricing"]""", (await Send(HttpMethod.Patch, $"/api/v2/goals/{pricing.Id}?site_id={Domain}", """{"display_name": "Pricing"}""")).Body["former_names"]!.ToJsonString());
        Assert.Equal("""["Sign-ups"]""", (await Send(HttpMethod.Patch, $"/api/v2/goals/{signup.Id}?site_id={Domain}", """{"display_name": "Signup"}""")).Body["former_names"]!.ToJsonString());
        var reset = await Send(HttpMethod.Patch, $"/api/v2/goals/{pricing.Id}?site_id={Domain}", """{"display_name": null}""");
        Assert.Equal(("Visit /pricing", """["Pricing"]"""), ((string)reset.Body["display_name"]!, reset.Body["former_names"]!.ToJsonString()));
        Assert.Equal(["2"], await Rows("""
            "metrics": ["visitors"], "filters": [["is", "event:goal", ["Pricing"]]]
            """));
    }

    [Fact]
    public async Task Rename_BadRequestsRefused_NothingChanged()
    {
        var signup = Goals.Add(siteId, null, "Signup", null);
        Assert.Equal(HttpStatusCode.NotFound, (await Send(HttpMethod.Patch, $"/api/v2/goals/{signup.Id + 100}?site_id={Domain}", """{"display_name": "X"}""")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await Send(HttpMethod.Patch, $"/api/v2/goals/{signup.Id}?site_id={Domain}", """{"name": "X"}""")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await Send(HttpMethod.Patch, $"/api/v2/goals/{signup.Id}?site_id={Domain}", """{"display_name": 5}""")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await Send(HttpMethod.Patch, $"/api/v2/goals/{signup.Id}?site_id={Domain}", "{")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await Send(HttpMethod.Patch, $"/api/v2/goals/{signup.Id}?site_id={Domain}",
            $$"""{"display_name": "{{new string('x', 121)}}"}""")).Status);
        // Changes need an API key, not a session.
        await server.CreateUserAsync("owner@rename.test", true);
        using var session = await WebSession.SignInAsync(server, "owner@rename.test");
        var withCookie = await session.SendAsync(new HttpRequestMessage(HttpMethod.Patch, $"/api/v2/goals/{signup.Id}?site_id={Domain}")
            { Content = JsonContent.Create(new { display_name = "X" }) });
        Assert.Equal(HttpStatusCode.Unauthorized, withCookie.StatusCode);
        var goal = Goals.ForSite(siteId).Single();
        Assert.Equal(("Signup", null), (goal.DisplayName, goal.FormerNames));
    }

    [Fact]
    public async Task SettingsForm_EditorsRename_ViewersCannot_ATakenNameSaidOnThePage()
    {
        var signup = Goals.Add(siteId, null, "Signup", null);
        Goals.Add(siteId, null, "Trial", null);
        await server.CreateUserAsync("editor@rename.test", false, (siteId, SiteRole.Editor));
        await server.CreateUserAsync("viewer@rename.test", false, (siteId, SiteRole.Viewer));
        var settings = $"/sites/{Domain}/settings";
        using (var viewer = await WebSession.SignInAsync(server, "viewer@rename.test"))
            Assert.Equal(HttpStatusCode.NotFound,
                (await viewer.PostFormAsync($"/sites/{Domain}", settings + "?handler=RenameGoal", new() { ["id"] = signup.Id.ToString(), ["name"] = "X" })).StatusCode);

        using var editor = await WebSession.SignInAsync(server, "editor@rename.test");
        var renamed = await editor.PostFormAsync(settings, settings + "?handler=RenameGoal", new() { ["id"] = signup.Id.ToString(), ["name"] = " Sign-ups " });
        Assert.Equal(HttpStatusCode.Redirect, renamed.StatusCode);
        var page = WebUtility.HtmlDecode(await (await editor.GetAsync(settings)).Content.ReadAsStringAsync());
        Assert.Contains("Sign-ups", page);
        Assert.Contains("formerly Signup", page);
        var taken = await editor.PostFormAsync(settings, settings + "?handler=RenameGoal", new() { ["id"] = signup.Id.ToString(), ["name"] = "Trial" });
        Assert.Equal(HttpStatusCode.OK, taken.StatusCode);
        Assert.Contains("is already called 'Trial'", WebUtility.HtmlDecode(await taken.Content.ReadAsStringAsync()));
        Assert.Equal("Sign-ups", Goals.ForSite(siteId).Single(g => g.Id == signup.Id).DisplayName);
    }
}
