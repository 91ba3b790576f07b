using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Panorama.Core.Accounts;
using Panorama.Core.Goals;
using Panorama.Core.Sites;
using Panorama.Storage.DuckDb;
using Panorama.Tests.Support;
using static Panorama.Tests.Support.EventBodies;

namespace Panorama.Tests.Integration;

/// <summary>
/// Deleting a site through the Sites API and the settings page: its events, goals, people and links go, a key that
/// read only it goes, the other sites keep every number, and only the owner can do it.
/// </summary>
public sealed class SiteDeletionTests
{
    static readonly DateTimeOffset Noon = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddHours(-12);

    static async Task<HttpResponseMessage> Send(TestServer server, HttpMethod method, string path, string? key)
    {
        var request = new HttpRequestMessage(method, path);
        if (key is not null) request.Headers.Authorization = new("Bearer", key);
        return await server.Http.SendAsync(request);
    }

    [Fact]
    public async Task SitesApi_DeletesTheSiteAndItsData_OtherSitesKeepTheirs()
    {
        await using var server = await TestServer.StartAsync();
        var gone = server.AddSite("gone.example");
        var kept = server.AddSite("kept.example");
        var everySite = server.CreateKey();
        var onlyGone = server.CreateKey(gone.Id);
        var both = server.CreateKey(gone.Id, kept.Id);
        server.Services.GetRequiredService<GoalService>().Add(gone.Id, null, "Signup", null);
        server.Services.GetRequiredService<SharedLinks>().Create(gone.Id, "board", null);
        for (var i = 0; i < 3; i++)
            using (var sent = await server.PostEventAsync(Pageview("gone.example", "/", Noon.AddMinutes(i), $"198.51.100.{i + 1}"), everySite))
                Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        for (var i = 0; i < 2; i++)
            using (var sent = await server.PostEventAsync(Pageview("kept.example", "/", Noon.AddMinutes(i), $"203.0.113.{i + 1}"), everySite))
                Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);

        using (var scoped = await Send(server, HttpMethod.Delete, "/api/v1/sites/gone.example", both))
            Assert.Equal(HttpStatusCode.Forbidden, scoped.StatusCode);
        using (var anonymous = await Send(server, HttpMethod.Delete, "/api/v1/sites/gone.example", null))
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using (var missing = await Send(server, HttpMethod.Delete, "/api/v1/sites/missing.example", everySite))
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        using var deleted = await Send(server, HttpMethod.Delete, "/api/v1/sites/gone.example", everySite);
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal("""{"deleted":true}""", await deleted.Content.ReadAsStringAsync());

        Assert.Equal(0, server.Services.GetRequiredService<DuckDbEventStore>().CountEvents(gone.Id));
        Assert.Equal(2, server.Services.GetRequiredService<DuckDbEventStore>().CountEvents(kept.Id));
        Assert.Empty(server.Services.GetRequiredService<GoalService>().ForSite(gone.Id));
        Assert.Empty(server.Services.GetRequiredService<SharedLinks>().For(gone.Id));
        using (var again = await Send(server, HttpMethod.Get, "/api/v1/sites/gone.example", everySite))
            Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        using (var late = await server.PostEventAsync(Pageview("gone.example", "/", Noon.AddMinutes(9), "198.51.100.9"), everySite))
            Assert.Equal(HttpStatusCode.NotFound, late.StatusCode);

        // The key for the deleted site alone is gone (an empty scope would read every site); the other keeps its other site.
        using (var revoked = await Send(server, HttpMethod.Get, "/api/v1/sites/kept.example", onlyGone))
            Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
        var date = Noon.ToString("yyyy-MM-dd");
        Assert.Equal(2, (int)(await server.GetJsonAsync($"/api/v1/stats/summary?site_id=kept.example&period=day&date={date}", both))["results"]!["visitors"]!);
        var listed = await (await Send(server, HttpMethod.Get, "/api/v1/sites", both)).Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal(["kept.example"], listed!["sites"]!.AsArray().Select(s => (string)s!["domain"]!));
        Assert.Contains(server.Services.GetRequiredService<AccessAudit>().Latest(5),
            entry => entry.Action == "deleted site" && entry.Subject.StartsWith("gone.example: 3 events, 1 API keys", StringComparison.Ordinal));

        // A new site may take the domain; it starts empty.
        var successor = server.AddSite("gone.example");
        Assert.NotEqual(gone.Id, successor.Id);
        Assert.Equal(0, (int)(await server.GetJsonAsync($"/api/v1/stats/summary?site_id=gone.example&period=day&date={date}", everySite))["results"]!["visitors"]!);
    }

    [Fact]
    public async Task SettingsForm_OnlyTheOwner_AfterTypingTheDomain()
    {
        await using var server = await TestServer.StartAsync();
        var site = server.AddSite("form.example");
        await server.CreateUserAsync("owner@form.test", owner: true);
        await server.CreateUserAsync("admin@form.test", false, (site.Id, SiteRole.Admin));
        const string settings = "/sites/form.example/settings";
        using (var admin = await WebSession.SignInAsync(server, "admin@form.test"))
        {
            Assert.DoesNotContain("delete-site", await (await admin.GetAsync(settings)).Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.NotFound,
                (await admin.PostFormAsync(settings, settings + "?handler=DeleteSite", new() { ["confirm"] = "form.example" })).StatusCode);
        }

        using var owner = await WebSession.SignInAsync(server, "owner@form.test");
        var unconfirmed = await owner.PostFormAsync(settings, settings + "?handler=DeleteSite", new() { ["confirm"] = "form" });
        Assert.Contains("Type form.example to confirm", await unconfirmed.Content.ReadAsStringAsync());
        Assert.NotNull(server.Services.GetRequiredService<SiteDirectory>().FindById(site.Id));

        var deleted = await owner.PostFormAsync(settings, settings + "?handler=DeleteSite", new() { ["confirm"] = "form.example" });
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.Equal("/sites", deleted.Headers.Location?.OriginalString);
        Assert.Null(server.Services.GetRequiredService<SiteDirectory>().FindById(site.Id));
        Assert.Equal(HttpStatusCode.NotFound, (await owner.GetAsync(settings)).StatusCode);
    }

    [Fact]
    public async Task ResetStats_OwnerDeletesTheEvents_SiteAndGoalsStay_NewEventsCount()
    {
        await using var server = await TestServer.StartAsync();
        var site = server.AddSite("reset.example");
        var key = server.CreateKey(site.Id);
        server.Services.GetRequiredService<GoalService>().Add(site.Id, null, "Signup", null);
        await server.CreateUserAsync("owner@reset.test", owner: true);
        await server.CreateUserAsync("admin@reset.test", false, (site.Id, SiteRole.Admin));
        for (var i = 0; i < 2; i++)
            using (var sent = await server.PostEventAsync(Pageview("reset.example", "/", Noon.AddMinutes(i), $"198.51.100.{i + 1}"), key))
                Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        var summary = $"/api/v1/stats/summary?site_id=reset.example&period=day&date={Noon:yyyy-MM-dd}";
        Assert.Equal(2, (int)(await server.GetJsonAsync(summary, key))["results"]!["visitors"]!);
        const string settings = "/sites/reset.example/settings";
        using (var admin = await WebSession.SignInAsync(server, "admin@reset.test"))
            Assert.Equal(HttpStatusCode.NotFound,
                (await admin.PostFormAsync(settings, settings + "?handler=ResetStats", new() { ["confirm"] = "reset.example" })).StatusCode);

        using var owner = await WebSession.SignInAsync(server, "owner@reset.test");
        var unconfirmed = await owner.PostFormAsync(settings, settings + "?handler=ResetStats", new() { ["confirm"] = "" });
        Assert.Contains("Type reset.example to confirm that the site&#x27;s events are to be deleted.", await unconfirmed.Content.ReadAsStringAsync());
        Assert.Equal(2, (int)(await server.GetJsonAsync(summary, key))["results"]!["visitors"]!);

        var reset = await owner.PostFormAsync(settings, settings + "?handler=ResetStats", new() { ["confirm"] = "reset.example" });
        Assert.Equal(HttpStatusCode.Redirect, reset.StatusCode);
        Assert.Equal(0, (int)(await server.GetJsonAsync(summary, key))["results"]!["visitors"]!);
        Assert.Single(server.Services.GetRequiredService<GoalService>().ForSite(site.Id));
        using (var after = await server.PostEventAsync(Pageview("reset.example", "/", Noon.AddMinutes(30), "198.51.100.7"), key))
            Assert.Equal(HttpStatusCode.Accepted, after.StatusCode);
        Assert.Equal(1, (int)(await server.GetJsonAsync(summary, key))["results"]!["visitors"]!);
        Assert.Contains(server.Services.GetRequiredService<AccessAudit>().Latest(5),
            entry => entry.Action == "reset stats" && entry.Subject == "reset.example: 2 events");
    }

    [Fact]
    public async Task Cli_Delete_NeedsYes_RefusedWhileAServerHoldsTheStore_ThenDeletesTheEvents()
    {
        using var data = new TempDirectory();
        await PanoramaProcess.RunAsync("sites", "add", "cli.example", "--data", data.Path);
        var (_, secret, _) = await PanoramaProcess.RunAsync("keys", "create", "--name", "t", "--data", data.Path);
        var (unconfirmed, _, error) = await PanoramaProcess.RunAsync("sites", "delete", "cli.example", "--data", data.Path);
        Assert.Equal(2, unconfirmed);
        Assert.Contains("add --yes to confirm", error);

        using (var server = await PanoramaProcess.StartServerAsync(data.Path))
        {
            using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
            http.DefaultRequestHeaders.Authorization = new("Bearer", secret.Trim());
            for (var i = 0; i < 2; i++)
                using (var sent = await http.PostAsJsonAsync("/api/event", Pageview("cli.example", "/", Noon.AddMinutes(i), $"198.51.100.{i + 1}")))
                    Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
            // A report waits until the events are in the store.
            var summary = await http.GetFromJsonAsync<JsonObject>($"/api/v1/stats/summary?site_id=cli.example&period=day&date={Noon:yyyy-MM-dd}");
            Assert.Equal(2, (int)summary!["results"]!["visitors"]!);

            var (held, _, heldError) = await PanoramaProcess.RunAsync("sites", "delete", "cli.example", "--yes", "--data", data.Path);
            Assert.Equal(2, held);
            Assert.Contains("A running server holds the event store", heldError);
        }

        var (code, output, _) = await PanoramaProcess.RunAsync("sites", "delete", "cli.example", "--yes", "--data", data.Path);
        Assert.Equal(0, code);
        Assert.Contains("Deleted cli.example and its 2 events.", output);
        var (_, listed, _) = await PanoramaProcess.RunAsync("sites", "list", "--data", data.Path);
        Assert.DoesNotContain("cli.example", listed);
    }
}
