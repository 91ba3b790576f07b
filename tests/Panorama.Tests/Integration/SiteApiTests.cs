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
}
