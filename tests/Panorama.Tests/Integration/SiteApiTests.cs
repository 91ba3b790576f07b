using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Panorama.Tests.Support;

namespace Panorama.Tests.Integration;

/// <summary>Plausible's Sites API: a key for every site registers sites, which then take events; other keys read only their own.</summary>
public sealed class SiteApiTests : IAsyncLifetime
{
    TestServer server = null!;
    string everySite = "", oneSite = "";

    public async Task InitializeAsync()
    {
        server = await TestServer.StartAsync();
        oneSite = server.CreateKey(server.AddSite("first.example").Id);
        everySite = server.CreateKey();
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    async Task<HttpResponseMessage> Send(HttpMethod method, string path, string? key, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        if (key is not null) request.Headers.Authorization = new("Bearer", key);
        return await server.Http.SendAsync(request);
    }

    [Fact]
    public async Task Create_WithAKeyForEverySite_RegistersTheSite_WhichTakesEvents()
    {
        using var created = await Send(HttpMethod.Post, "/api/v1/sites", everySite, JsonContent.Create(new { domain = "https://www.New.Example/", timezone = "Europe/Moscow" }));
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Equal("""{"domain":"new.example","timezone":"Europe/Moscow"}""", await created.Content.ReadAsStringAsync());

        using var form = await Send(HttpMethod.Post, "/api/v1/sites", everySite,
            new FormUrlEncodedContent(new Dictionary<string, string> { ["domain"] = "form.example" }));
        Assert.Equal("""{"domain":"form.example","timezone":"UTC"}""", await form.Content.ReadAsStringAsync());

        using var pageview = await server.PostEventAsync(EventBodies.Pageview("new.example", "/", DateTimeOffset.UtcNow, "198.51.100.9"), everySite);
        Assert.Equal(HttpStatusCode.Accepted, pageview.StatusCode);
        using var one = await Send(HttpMethod.Get, "/api/v1/sites/new.example", everySite);
        Assert.Equal("""{"domain":"new.example","timezone":"Europe/Moscow"}""", await one.Content.ReadAsStringAsync());
        var listed = await (await Send(HttpMethod.Get, "/api/v1/sites", everySite)).Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal(["first.example", "form.example", "new.example"], listed!["sites"]!.AsArray().Select(s => (string)s!["domain"]!));
    }

    [Theory]
    [InlineData("""{"domain":"first.example"}""", "already registered")]
    [InlineData("""{"domain":"not a domain"}""", "'domain'")]
    [InlineData("""{"domain":"tz.example","timezone":"Mars/Olympus"}""", "Mars/Olympus")]
    [InlineData("""{"domain":""", "not valid JSON")]
    public async Task Create_BadInput_400_NothingRegistered(string body, string expected)
    {
        using var response = await Send(HttpMethod.Post, "/api/v1/sites", everySite, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync());
        var listed = await (await Send(HttpMethod.Get, "/api/v1/sites", everySite)).Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal(["first.example"], listed!["sites"]!.AsArray().Select(s => (string)s!["domain"]!));
    }

    [Fact]
    public async Task KeyForOneSite_CannotRegister_SeesOnlyItsSite()
    {
        using (var refused = await Send(HttpMethod.Post, "/api/v1/sites", oneSite, JsonContent.Create(new { domain = "mine.example" })))
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        using (var anonymous = await Send(HttpMethod.Post, "/api/v1/sites", null, JsonContent.Create(new { domain = "mine.example" })))
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        server.AddSite("other.example");
        var listed = await (await Send(HttpMethod.Get, "/api/v1/sites", oneSite)).Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal(["first.example"], listed!["sites"]!.AsArray().Select(s => (string)s!["domain"]!));
        using var other = await Send(HttpMethod.Get, "/api/v1/sites/other.example", oneSite);
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
    }

    [Fact]
    public async Task Goals_FindOrCreateListDelete_InPlausiblesShape()
    {
        using var created = await Send(HttpMethod.Put, "/api/v1/sites/goals", oneSite,
            JsonContent.Create(new { site_id = "first.example", goal_type = "event", event_name = "Signup" }));
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var goal = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(("event", "Signup", "Signup"), ((string)goal["goal_type"]!, (string)goal["event_name"]!, (string)goal["display_name"]!));
        // The same goal again is found, not made twice; a form works as well as JSON.
        using var again = await Send(HttpMethod.Put, "/api/v1/sites/goals", oneSite,
            new FormUrlEncodedContent(new Dictionary<string, string> { ["site_id"] = "first.example", ["goal_type"] = "event", ["event_name"] = "Signup" }));
        Assert.Equal((int)goal["id"]!, (int)(await again.Content.ReadFromJsonAsync<JsonObject>())!["id"]!);
        using var page = await Send(HttpMethod.Put, "/api/v1/sites/goals", oneSite,
            JsonContent.Create(new { site_id = "first.example", goal_type = "page", page_path = "/thanks" }));
        Assert.Equal("Visit /thanks", (string)(await page.Content.ReadFromJsonAsync<JsonObject>())!["display_name"]!);

        var listed = await (await Send(HttpMethod.Get, "/api/v1/sites/goals?site_id=first.example", oneSite)).Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal(["Signup", "Visit /thanks"], listed!["goals"]!.AsArray().Select(g => (string)g!["display_name"]!));
        // The goal counts in the Stats API at once.
        using var query = await Send(HttpMethod.Post, "/api/v2/query", oneSite,
            JsonContent.Create(new { site_id = "first.example", metrics = new[] { "visitors" }, date_range = "7d", dimensions = new[] { "event:goal" } }));
        Assert.Equal(HttpStatusCode.OK, query.StatusCode);

        using var deleted = await Send(HttpMethod.Delete, $"/api/v1/sites/goals/{goal["id"]}?site_id=first.example", oneSite);
        Assert.Equal("""{"deleted":true}""", await deleted.Content.ReadAsStringAsync());
        using var gone = await Send(HttpMethod.Delete, $"/api/v1/sites/goals/{goal["id"]}", oneSite, JsonContent.Create(new { site_id = "first.example" }));
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        listed = await (await Send(HttpMethod.Get, "/api/v1/sites/goals?site_id=first.example", oneSite)).Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal(["Visit /thanks"], listed!["goals"]!.AsArray().Select(g => (string)g!["display_name"]!));
    }

    [Theory]
    [InlineData("""{"goal_type":"event","event_name":"Signup"}""", HttpStatusCode.BadRequest, "site_id")]
    [InlineData("""{"site_id":"first.example","goal_type":"visit"}""", HttpStatusCode.BadRequest, "goal_type")]
    [InlineData("""{"site_id":"first.example","goal_type":"page"}""", HttpStatusCode.BadRequest, "page_path")]
    [InlineData("""{"site_id":"first.example","goal_type":"page","page_path":"thanks"}""", HttpStatusCode.BadRequest, "page_path")]
    [InlineData("""{"site_id":"other.example","goal_type":"event","event_name":"Signup"}""", HttpStatusCode.NotFound, "other.example")]
    [InlineData("""{"site_id":"first.example","goal_type":"event","event_name":"Signup","custom_props":{"a":"1","b":"2","c":"3","d":"4"}}""", HttpStatusCode.BadRequest, "at most 3 properties")]
    [InlineData("""{"site_id":"first.example","goal_type":"event","event_name":"Signup","custom_props":{"plan":""}}""", HttpStatusCode.BadRequest, "the value of 'plan'")]
    [InlineData("""{"site_id":"first.example","goal_type":"event","event_name":"Signup","custom_props":["plan"]}""", HttpStatusCode.BadRequest, "custom_props")]
    [InlineData("""{"site_id":"first.example","goal_type":"event","event_name":"Signup","custom_props":{"plan":3}}""", HttpStatusCode.BadRequest, "custom_props")]
    [InlineData("""{"site_id":"first.example","goal_type":"event","event_name":"engagement"}""", HttpStatusCode.BadRequest, "engagement")]
    [InlineData("""{"site_id":"first.example","goal_type":"scroll","page_path":"/blog"}""", HttpStatusCode.BadRequest, "scroll_threshold")]
    [InlineData("""{"site_id":"first.example","goal_type":"scroll","page_path":"/blog","scroll_threshold":0}""", HttpStatusCode.BadRequest, "scroll_threshold")]
    [InlineData("""{"site_id":"first.example","goal_type":"scroll","page_path":"/blog","scroll_threshold":150}""", HttpStatusCode.BadRequest, "scroll_threshold")]
    [InlineData("""{"site_id":"first.example","goal_type":"scroll","page_path":"/blog","scroll_threshold":"lots"}""", HttpStatusCode.BadRequest, "scroll_threshold")]
    [InlineData("""{"site_id":"first.example","goal_type":"scroll","page_path":"/blog","scroll_threshold":50,"custom_props":{"a":"b"}}""", HttpStatusCode.BadRequest, "scroll depth goal")]
    [InlineData("""{"site_id":"first.example","goal_type":"event","event_name":"Signup","display_name":"Visit /thanks","custom_props":{"x":"y"}}""", HttpStatusCode.BadRequest, "display_name")]
    public async Task Goals_BadInputOrAnotherSite_Refused_NothingMade(string body, HttpStatusCode expected, string named)
    {
        server.AddSite("other.example");
        if (named == "display_name")
        {
            using var first = await Send(HttpMethod.Put, "/api/v1/sites/goals", oneSite, JsonContent.Create(new { site_id = "first.example", goal_type = "page", page_path = "/thanks" }));
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }
        using var response = await Send(HttpMethod.Put, "/api/v1/sites/goals", oneSite, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(expected, response.StatusCode);
        Assert.Contains(named, await response.Content.ReadAsStringAsync());
        var listed = await (await Send(HttpMethod.Get, "/api/v1/sites/goals?site_id=first.example", oneSite)).Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal(named == "display_name" ? 1 : 0, listed!["goals"]!.AsArray().Count);
    }

    [Fact]
    public async Task Goals_ScrollDepth_FoundOrCreated_InBothApis()
    {
        using var created = await Send(HttpMethod.Put, "/api/v1/sites/goals", oneSite,
            new FormUrlEncodedContent(new Dictionary<string, string> { ["site_id"] = "first.example", ["goal_type"] = "scroll", ["page_path"] = "/article/*", ["scroll_threshold"] = "50" }));
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var goal = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(("scroll", "Scroll 50% on /article/*", 50, "/article/*"),
            ((string)goal["goal_type"]!, (string)goal["display_name"]!, (int)goal["scroll_threshold"]!, (string)goal["page_path"]!));
        using var again = await Send(HttpMethod.Post, "/api/v2/goals?site_id=first.example", oneSite, JsonContent.Create(new { page_path = "/article/*", scroll_threshold = 50 }));
        Assert.Equal((int)goal["id"]!, (int)(await again.Content.ReadFromJsonAsync<JsonObject>())!["id"]!);
        // The page goal on the same path is another goal.
        using var page = await Send(HttpMethod.Post, "/api/v2/goals?site_id=first.example", oneSite, JsonContent.Create(new { page_path = "/article/*" }));
        var pageGoal = (await page.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(("page", "Visit /article/*"), ((string)pageGoal["goal_type"]!, (string)pageGoal["display_name"]!));
        Assert.Null(pageGoal["scroll_threshold"]);
    }

    [Fact]
    public async Task Goals_WithCustomProps_CountOnlyEventsCarryingThem_NamedOrNamedAfterThem()
    {
        using var pro = await Send(HttpMethod.Put, "/api/v1/sites/goals", oneSite,
            JsonContent.Create(new { site_id = "first.example", goal_type = "event", event_name = "Signup", custom_props = new { plan = "pro" }, display_name = "Pro signup" }));
        Assert.Equal(HttpStatusCode.OK, pro.StatusCode);
        var goal = (await pro.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(("Pro signup", "pro"), ((string)goal["display_name"]!, (string)goal["custom_props"]!["plan"]!));
        // From a form, custom_props is the object's JSON text; without a name the goal is named after its event and properties.
        using var team = await Send(HttpMethod.Put, "/api/v1/sites/goals", oneSite, new FormUrlEncodedContent(new Dictionary<string, string>
            { ["site_id"] = "first.example", ["goal_type"] = "event", ["event_name"] = "Signup", ["custom_props"] = """{"plan": "team", "seats": "10"}""" }));
        Assert.Equal("Signup (plan=team, seats=10)", (string)(await team.Content.ReadFromJsonAsync<JsonObject>())!["display_name"]!);
        using var plain = await Send(HttpMethod.Post, "/api/v2/goals?site_id=first.example", oneSite, JsonContent.Create(new { event_name = "Signup" }));
        Assert.Equal(HttpStatusCode.Created, plain.StatusCode);
        Assert.Equal("{}", (await plain.Content.ReadFromJsonAsync<JsonObject>())!["custom_props"]!.ToJsonString());

        var at = DateTimeOffset.UtcNow.AddSeconds(-2);
        foreach (var (ip, props) in new[] { ("198.51.100.1", new JsonObject { ["plan"] = "pro" }), ("198.51.100.2", new JsonObject { ["plan"] = "team", ["seats"] = "10" }),
            ("198.51.100.3", new JsonObject { ["plan"] = "team", ["seats"] = "5" }), ("198.51.100.4", new JsonObject()) })
        {
            using var posted = await server.PostEventAsync(EventBodies.Event("Signup", "first.example", "https://first.example/join", at, ip, UserAgents.ChromeWindows, props: props), oneSite);
            Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        }
        using var query = await Send(HttpMethod.Post, "/api/v2/query", oneSite,
            JsonContent.Create(new { site_id = "first.example", metrics = new[] { "visitors" }, date_range = "day", dimensions = new[] { "event:goal" } }));
        var rows = (await query.Content.ReadFromJsonAsync<JsonObject>())!["results"]!.AsArray()
            .Select(r => $"{r!["dimensions"]![0]}={r["metrics"]![0]}").Order(StringComparer.Ordinal);
        Assert.Equal(["Pro signup=1", "Signup (plan=team, seats=10)=1", "Signup=4"], rows);
    }

    [Fact]
    public async Task SharedLink_FoundOrCreatedByName_OpensTheDashboard_NeedsAKeyForEverySite()
    {
        using var refused = await Send(HttpMethod.Put, "/api/v1/sites/shared-links", oneSite, JsonContent.Create(new { site_id = "first.example", name = "Wiki" }));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        using var created = await Send(HttpMethod.Put, "/api/v1/sites/shared-links", everySite, JsonContent.Create(new { site_id = "first.example", name = "Wiki" }));
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var link = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("Wiki", (string)link["name"]!);
        var url = new Uri((string)link["url"]!);
        Assert.Matches("^/share/[0-9a-f]{32}$", url.AbsolutePath);
        using var again = await Send(HttpMethod.Put, "/api/v1/sites/shared-links", everySite, JsonContent.Create(new { site_id = "first.example", name = "Wiki" }));
        Assert.Equal(url.ToString(), (string)(await again.Content.ReadFromJsonAsync<JsonObject>())!["url"]!);

        using var dashboard = await server.Http.GetAsync(url.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Contains("first.example", await dashboard.Content.ReadAsStringAsync());

        using var missingName = await Send(HttpMethod.Put, "/api/v1/sites/shared-links", everySite, JsonContent.Create(new { site_id = "first.example" }));
        Assert.Equal(HttpStatusCode.BadRequest, missingName.StatusCode);
    }
}
