using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Panorama.Core.Accounts;
using Panorama.Core.Ingestion;
using Panorama.Core.Sites;
using Panorama.Tests.Support;
using static Panorama.Tests.Support.EventBodies;

namespace Panorama.Tests.Integration;

/// <summary>
/// The custom properties a dashboard offers (Plausible's allowed custom properties): set through the Sites API or the
/// settings; the property list the dashboard reads narrows to them, and the Stats API still breaks down by any property.
/// </summary>
public sealed class ShownPropertiesTests : IAsyncLifetime
{
    const string Domain = "props.example";
    TestServer server = null!;
    int siteId;
    string key = "";

    public async Task InitializeAsync()
    {
        server = await TestServer.StartAsync();
        siteId = server.AddSite(Domain).Id;
        key = server.CreateKey(siteId);
        // Three events with "plan", two with "author", one with "debug".
        var today = new DateTimeOffset(2026, 10, 10, 0, 0, 0, TimeSpan.Zero);
        JsonObject[] events =
        [
            Event("Signup", Domain, $"https://{Domain}/", today.AddMinutes(1), "198.51.100.1", UserAgents.ChromeWindows, props: new JsonObject { ["plan"] = "pro", ["debug"] = "1" }),
            Event("Signup", Domain, $"https://{Domain}/", today.AddMinutes(2), "198.51.100.2", UserAgents.ChromeWindows, props: new JsonObject { ["plan"] = "free" }),
            Event("Signup", Domain, $"https://{Domain}/", today.AddMinutes(3), "198.51.100.3", UserAgents.ChromeWindows, props: new JsonObject { ["plan"] = "pro" }),
            Event("Read", Domain, $"https://{Domain}/blog", today.AddMinutes(4), "198.51.100.4", UserAgents.ChromeWindows, props: new JsonObject { ["author"] = "ann" }),
            Event("Read", Domain, $"https://{Domain}/blog", today.AddMinutes(5), "198.51.100.5", UserAgents.ChromeWindows, props: new JsonObject { ["author"] = "bob" }),
        ];
        foreach (var body in events) Assert.Equal(HttpStatusCode.Accepted, (await server.PostEventAsync(body, key)).StatusCode);
        await server.Services.GetRequiredService<EventBatchWriter>().WaitUntilStoredAsync(CancellationToken.None);
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    Task<(HttpStatusCode Status, JsonObject Body)> Send(HttpMethod method, string path, object? body = null) =>
        server.SendAsync(method, path, key, body is null ? null : JsonContent.Create(body));

    async Task<string> Offered() => (await Send(HttpMethod.Get, $"/api/v2/properties?site_id={Domain}&date_range=2026-10-10,2026-10-10")).Body["properties"]!.ToJsonString();

    [Fact]
    public async Task SitesApi_AddListRemove_TheDashboardsListNarrows_BreakdownsStillAnswerEveryProperty()
    {
        Assert.Equal("""["plan","author","debug"]""", await Offered());

        Assert.Equal("""{"created":true}""", (await Send(HttpMethod.Put, "/api/v1/sites/custom-props", new { site_id = Domain, property = "author" })).Body.ToJsonString());
        Assert.Equal("""{"created":true}""", (await Send(HttpMethod.Put, "/api/v1/sites/custom-props", new { site_id = Domain, property = " plan " })).Body.ToJsonString());
        // Again: still one of each.
        Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Put, "/api/v1/sites/custom-props", new { site_id = Domain, property = "plan" })).Status);
        Assert.Equal("""["author","plan"]""", (await Send(HttpMethod.Get, $"/api/v1/sites/custom-props?site_id={Domain}")).Body["custom_props"]!.ToJsonString());
        // The most used first, as before; "debug" is no longer offered.
        Assert.Equal("""["plan","author"]""", await Offered());

        var (status, breakdown) = await Send(HttpMethod.Post, "/api/v2/query",
            new { site_id = Domain, metrics = new[] { "events" }, date_range = new[] { "2026-10-10", "2026-10-10" }, dimensions = new[] { "event:props:debug" }, filters = new[] { new object[] { "is_not", "event:props:debug", new[] { "(none)" } } } });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("1", (string)breakdown["results"]![0]!["dimensions"]![0]!);

        Assert.Equal("""{"deleted":true}""", (await Send(HttpMethod.Delete, $"/api/v1/sites/custom-props/plan?site_id={Domain}")).Body.ToJsonString());
        Assert.Equal("""["author"]""", await Offered());
        Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Delete, "/api/v1/sites/custom-props/author", new { site_id = Domain })).Status);
        // None left: every property again.
        Assert.Equal("""["plan","author","debug"]""", await Offered());
        Assert.Null(server.Services.GetRequiredService<SiteDirectory>().FindById(siteId)!.ShownProperties);
    }

    [Fact]
    public async Task SitesApi_BadRequestsAndOtherSitesKeysRefused()
    {
        Assert.Equal(HttpStatusCode.BadRequest, (await Send(HttpMethod.Put, "/api/v1/sites/custom-props", new { site_id = Domain })).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await Send(HttpMethod.Put, "/api/v1/sites/custom-props", new { property = "plan" })).Status);
        var (tooLong, problem) = await Send(HttpMethod.Put, "/api/v1/sites/custom-props", new { site_id = Domain, property = new string('p', 301) });
        Assert.Equal(HttpStatusCode.BadRequest, tooLong);
        Assert.Equal("A custom property's name is 1 to 300 characters on one line.", (string)problem["detail"]!);

        var other = server.AddSite("other.example");
        using var request = new HttpRequestMessage(HttpMethod.Put, "/api/v1/sites/custom-props") { Content = JsonContent.Create(new { site_id = Domain, property = "plan" }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", server.CreateKey(other.Id));
        Assert.Equal(HttpStatusCode.NotFound, (await server.Http.SendAsync(request)).StatusCode);
        Assert.Null(server.Services.GetRequiredService<SiteDirectory>().FindById(siteId)!.ShownProperties);
    }

    [Fact]
    public async Task SettingsForm_EditorSetsTheList_ViewerCannot()
    {
        await server.CreateUserAsync("editor@props.test", false, (siteId, SiteRole.Editor));
        await server.CreateUserAsync("viewer@props.test", false, (siteId, SiteRole.Viewer));
        var settings = $"/sites/{Domain}/settings";
        using (var viewer = await WebSession.SignInAsync(server, "viewer@props.test"))
            Assert.Equal(HttpStatusCode.NotFound, (await viewer.PostFormAsync($"/sites/{Domain}", settings + "?handler=SaveProperties", new() { ["properties"] = "plan" })).StatusCode);

        using var editor = await WebSession.SignInAsync(server, "editor@props.test");
        var saved = await editor.PostFormAsync(settings, settings + "?handler=SaveProperties", new() { ["properties"] = " author\r\n\r\nplan\nauthor\n" });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(["author", "plan"], server.Services.GetRequiredService<SiteDirectory>().FindById(siteId)!.ShownPropertyList);
        Assert.Contains("author\nplan</textarea>", WebUtility.HtmlDecode(await (await editor.GetAsync(settings)).Content.ReadAsStringAsync()).Replace("\r", ""));
        Assert.Equal("""["plan","author"]""", await Offered());

        var cleared = await editor.PostFormAsync(settings, settings + "?handler=SaveProperties", new() { ["properties"] = "  " });
        Assert.Equal(HttpStatusCode.Redirect, cleared.StatusCode);
        Assert.Equal("""["plan","author","debug"]""", await Offered());
    }
}
