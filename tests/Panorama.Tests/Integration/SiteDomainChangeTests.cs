using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Panorama.Core.Accounts;
using Panorama.Core.Department;
using Panorama.Tests.Support;
using static Panorama.Tests.Support.EventBodies;

namespace Panorama.Tests.Integration;

/// <summary>
/// A site's domain changed through the Sites API, the settings page and the CLI: its data stays, events for the old
/// domain still count for 72 hours, the department's KPIs follow, and nobody else can take either domain meanwhile.
/// </summary>
public sealed class SiteDomainChangeTests
{
    static readonly DateTimeOffset Noon = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddHours(-12);

    static async Task<HttpResponseMessage> Put(TestServer server, string path, string? key, HttpContent content)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, path) { Content = content };
        if (key is not null) request.Headers.Authorization = new("Bearer", key);
        return await server.Http.SendAsync(request);
    }

    [Fact]
    public async Task SitesApi_ChangesTheDomain_OldAndNewEventsCountTogether_KpisFollow()
    {
        await using var server = await TestServer.StartAsync();
        var site = server.AddSite("old.example");
        var everySite = server.CreateKey();
        var department = server.Services.GetRequiredService<DepartmentStore>();
        department.Save($$"""
            strategies:
              - id: s1
                title: Grow
                effective_from: {{Noon.AddDays(-30):yyyy-MM-dd}}
                objectives:
                  - id: reach
                    title: Reach
                    kpis:
                      - {id: visitors, name: Visitors, site: old.example, metric: visitors, target: 10, period_from: {{Noon.AddDays(-3):yyyy-MM-dd}}, period_to: {{Noon.AddDays(3):yyyy-MM-dd}}}
            people: [{id: anna, name: Anna}]
            functions: [{id: web, name: Web, accountable: [anna], needs: [{system: old.example CMS, level: write}]}]
            accesses:
              - {person: anna, system: old.example CMS, level: write, granted_on: {{Noon.AddDays(-10):yyyy-MM-dd}}, function: web}
              - {person: anna, system: blog.old.example admin, level: write, granted_on: {{Noon.AddDays(-10):yyyy-MM-dd}}}
            """, "test");
        using (var before = await server.PostEventAsync(Pageview("old.example", "/", Noon, "198.51.100.1"), everySite))
            Assert.Equal(HttpStatusCode.Accepted, before.StatusCode);

        using var changed = await Put(server, "/api/v1/sites/old.example", everySite, JsonContent.Create(new { domain = "new.example" }));
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal("""{"domain":"new.example","timezone":"UTC"}""", await changed.Content.ReadAsStringAsync());

        // A tracker not yet updated and an updated one: both count on the one site.
        using (var old = await server.PostEventAsync(Pageview("old.example", "/pricing", Noon.AddMinutes(5), "198.51.100.2"), everySite))
            Assert.Equal(HttpStatusCode.Accepted, old.StatusCode);
        using (var updated = await server.PostEventAsync(Pageview("new.example", "/", Noon.AddMinutes(6), "198.51.100.3"), everySite))
            Assert.Equal(HttpStatusCode.Accepted, updated.StatusCode);
        var date = Noon.ToString("yyyy-MM-dd");
        Assert.Equal(3, (int)(await server.GetJsonAsync($"/api/v1/stats/summary?site_id=new.example&period=day&date={date}", everySite))["results"]!["visitors"]!);
        Assert.Equal(3, (int)(await server.GetJsonAsync($"/api/v1/stats/summary?site_id=old.example&period=day&date={date}", everySite))["results"]!["visitors"]!);

        var kpi = department.Current().Model.Strategies[0].Objectives[0].Kpis[0];
        Assert.Equal("new.example", kpi.Site);
        Assert.Contains("old.example → new.example", department.History(1)[0].Revision.Note);
        // Systems named after the site follow it, needs and grants alike, so the accesses still match; another host's stay.
        var model = department.Current().Model;
        Assert.Equal(["new.example CMS", "blog.old.example admin"], model.Accesses.Select(a => a.System));
        Assert.Equal("new.example CMS", model.Functions[0].Needs[0].System);

        using var register = await server.Http.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/v1/sites")
        {
            Content = JsonContent.Create(new { domain = "old.example" }), Headers = { Authorization = new("Bearer", everySite) },
        });
        Assert.Equal(HttpStatusCode.BadRequest, register.StatusCode);
        Assert.Equal(site.Id, server.Services.GetRequiredService<Panorama.Core.Sites.SiteDirectory>().FindByDomain("old.example")!.Id);
    }

    [Fact]
    public async Task SitesApi_BadChanges_Refused_NothingChanged()
    {
        await using var server = await TestServer.StartAsync();
        var site = server.AddSite("kept.example");
        server.AddSite("other.example");
        var everySite = server.CreateKey();
        var oneSite = server.CreateKey(site.Id);

        async Task Expect(HttpStatusCode status, string path, string? key, string body, string detail)
        {
            using var response = await Put(server, path, key, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(status, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains(detail, (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!);
        }
        await Expect(HttpStatusCode.BadRequest, "/api/v1/sites/kept.example", everySite, """{"domain":"other.example"}""", "belongs to another site");
        await Expect(HttpStatusCode.BadRequest, "/api/v1/sites/kept.example", everySite, """{"domain":"not a domain"}""", "not a valid domain");
        await Expect(HttpStatusCode.BadRequest, "/api/v1/sites/kept.example", everySite, """{"timezone":"UTC"}""", "'domain' is required");
        await Expect(HttpStatusCode.BadRequest, "/api/v1/sites/kept.example", everySite, """["domain"]""", "must be a JSON object");
        await Expect(HttpStatusCode.BadRequest, "/api/v1/sites/kept.example", everySite, """{"domain":""", "not valid JSON");
        await Expect(HttpStatusCode.Forbidden, "/api/v1/sites/kept.example", oneSite, """{"domain":"mine.example"}""", "a key for every site");
        await Expect(HttpStatusCode.NotFound, "/api/v1/sites/other.example", oneSite, """{"domain":"mine.example"}""", "No site");
        await Expect(HttpStatusCode.NotFound, "/api/v1/sites/missing.example", everySite, """{"domain":"mine.example"}""", "No site");
        await Expect(HttpStatusCode.Unauthorized, "/api/v1/sites/kept.example", null, """{"domain":"mine.example"}""", "API key");

        var sites = server.Services.GetRequiredService<Panorama.Core.Sites.SiteDirectory>();
        Assert.Equal(["kept.example", "other.example"], sites.All().Select(s => s.Domain));
    }

    [Fact]
    public async Task SettingsForm_AdminChangesTheDomain_EditorCannot_PageNamesTheOldOne()
    {
        await using var server = await TestServer.StartAsync();
        var site = server.AddSite("form.example");
        server.AddSite("taken.example");
        await server.CreateUserAsync("admin@form.test", false, (site.Id, SiteRole.Admin));
        await server.CreateUserAsync("editor@form.test", false, (site.Id, SiteRole.Editor));
        const string settings = "/sites/form.example/settings";
        using (var editor = await WebSession.SignInAsync(server, "editor@form.test"))
        {
            var page = await (await editor.GetAsync(settings)).Content.ReadAsStringAsync();
            Assert.DoesNotContain("change-domain", page);
            Assert.Equal(HttpStatusCode.NotFound,
                (await editor.PostFormAsync(settings, settings + "?handler=ChangeDomain", new() { ["newDomain"] = "mine.example" })).StatusCode);
        }

        using var admin = await WebSession.SignInAsync(server, "admin@form.test");
        var refused = await admin.PostFormAsync(settings, settings + "?handler=ChangeDomain", new() { ["newDomain"] = "taken.example" });
        Assert.Contains("belongs to another site", await refused.Content.ReadAsStringAsync());

        var moved = await admin.PostFormAsync(settings, settings + "?handler=ChangeDomain", new() { ["newDomain"] = "www.moved.example" });
        Assert.Equal(HttpStatusCode.Redirect, moved.StatusCode);
        Assert.Equal("/sites/moved.example/settings", moved.Headers.Location?.OriginalString);
        var after = await (await admin.GetAsync("/sites/moved.example/settings")).Content.ReadAsStringAsync();
        Assert.Contains("form.example still reaches this site until", after);
        var log = server.Services.GetRequiredService<AccessAudit>().Latest(5);
        Assert.Contains(log, entry => entry.Action == "changed domain" && entry.Subject == "form.example → moved.example");
    }

    [Fact]
    public async Task Cli_Rename_ChangesTheDomain_RefusesATakenOne()
    {
        using var data = new TempDirectory();
        await PanoramaProcess.RunAsync("sites", "add", "cli.example", "--data", data.Path);
        await PanoramaProcess.RunAsync("sites", "add", "busy.example", "--data", data.Path);

        var (refused, _, error) = await PanoramaProcess.RunAsync("sites", "rename", "cli.example", "busy.example", "--data", data.Path);
        Assert.Equal(2, refused);
        Assert.Contains("'busy.example' belongs to another site.", error);

        var (code, output, _) = await PanoramaProcess.RunAsync("sites", "rename", "cli.example", "renamed.example", "--data", data.Path);
        Assert.Equal(0, code);
        Assert.Contains("Site renamed.example, formerly cli.example", output);
        Assert.Contains("data-domain=\"renamed.example\"", output);
        var (_, listed, _) = await PanoramaProcess.RunAsync("sites", "list", "--data", data.Path);
        Assert.Equal(["busy.example", "renamed.example"], listed.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')[0]));
    }
}
