using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Panorama.Core.Accounts;
using Panorama.Core.Sites;
using Panorama.Tests.Support;

namespace Panorama.Tests.Integration;

/// <summary>Plausible's Sites API guests: a site's members and open invitations, listed, found or invited, and removed.</summary>
public sealed class SiteGuestsApiTests : IAsyncLifetime
{
    TestServer server = null!;
    string everySite = "", oneSite = "";
    int siteId;

    public async Task InitializeAsync()
    {
        server = await TestServer.StartAsync();
        siteId = server.AddSite("first.example").Id;
        oneSite = server.CreateKey(siteId);
        everySite = server.CreateKey();
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    async Task<HttpResponseMessage> Send(HttpMethod method, string path, string key, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Authorization = new("Bearer", key);
        return await server.Http.SendAsync(request);
    }

    async Task<string[]> Guests() => [.. (await (await Send(HttpMethod.Get, "/api/v1/sites/guests?site_id=first.example", everySite)).Content.ReadFromJsonAsync<JsonObject>())!
        ["guests"]!.AsArray().Select(g => $"{g!["email"]} {g["role"]} {g["status"]}")];

    [Fact]
    public async Task Guests_ListedFoundInvitedAndRemoved_NeedAKeyForEverySite()
    {
        using (var refused = await Send(HttpMethod.Put, "/api/v1/sites/guests", oneSite, JsonContent.Create(new { site_id = "first.example", email = "alice@x.test", role = "viewer" })))
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        using (var refused = await Send(HttpMethod.Get, "/api/v1/sites/guests?site_id=first.example", oneSite))
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        using var invited = await Send(HttpMethod.Put, "/api/v1/sites/guests", everySite, JsonContent.Create(new { site_id = "first.example", email = "alice@x.test", role = "viewer" }));
        Assert.Equal(HttpStatusCode.OK, invited.StatusCode);
        var invitation = (await invited.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(("alice@x.test", "viewer", "invited", false), ((string)invitation["email"]!, (string)invitation["role"]!, (string)invitation["status"]!, (bool)invitation["email_sent"]!));
        // The link opens the page where the person accepts.
        using (var page = await server.Http.GetAsync(new Uri((string)invitation["invitation_url"]!).PathAndQuery))
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        // Asked again (a form this time), the open invitation is found, not made twice, and its link is not shown again.
        using var again = await Send(HttpMethod.Put, "/api/v1/sites/guests", everySite,
            new FormUrlEncodedContent(new Dictionary<string, string> { ["site_id"] = "first.example", ["email"] = "Alice@x.test", ["role"] = "editor" }));
        Assert.Equal("""{"email":"alice@x.test","role":"viewer","status":"invited"}""", await again.Content.ReadAsStringAsync());

        var bob = await server.CreateUserAsync("bob@x.test", false, (siteId, SiteRole.Editor));
        using var member = await Send(HttpMethod.Put, "/api/v1/sites/guests", everySite, JsonContent.Create(new { site_id = "first.example", email = "bob@x.test", role = "admin" }));
        Assert.Equal("""{"email":"bob@x.test","role":"editor","status":"accepted"}""", await member.Content.ReadAsStringAsync());
        Assert.Equal(["bob@x.test editor accepted", "alice@x.test viewer invited"], await Guests());

        using var removed = await Send(HttpMethod.Delete, "/api/v1/sites/guests/bob@x.test?site_id=first.example", everySite);
        Assert.Equal("""{"deleted":true,"removed":true}""", await removed.Content.ReadAsStringAsync());
        Assert.Null(server.Services.GetRequiredService<SiteAccess>().RoleOf(bob, siteId));
        using var cancelled = await Send(HttpMethod.Delete, "/api/v1/sites/guests/alice@x.test", everySite, JsonContent.Create(new { site_id = "first.example" }));
        Assert.Equal("""{"deleted":true,"removed":true}""", await cancelled.Content.ReadAsStringAsync());
        Assert.Empty(await Guests());
        using var twice = await Send(HttpMethod.Delete, "/api/v1/sites/guests/alice@x.test?site_id=first.example", everySite);
        Assert.Equal("""{"deleted":true,"removed":false}""", await twice.Content.ReadAsStringAsync());
        var log = server.Services.GetRequiredService<AccessAudit>().Latest(5);
        Assert.Contains(log, e => e.Action == "removed" && e.Subject == "bob@x.test from first.example");
        Assert.Contains(log, e => e.Action == "invited" && e.Subject == "alice@x.test as Viewer on first.example");
    }

    [Theory]
    [InlineData("""{"email":"alice@x.test","role":"viewer"}""", "site_id")]
    [InlineData("""{"site_id":"first.example","email":"alice","role":"viewer"}""", "email")]
    [InlineData("""{"site_id":"first.example","email":"Alice <alice@x.test>","role":"viewer"}""", "email")]
    [InlineData("""{"site_id":"first.example","email":"alice@x.test","role":"owner"}""", "role")]
    [InlineData("""{"site_id":"first.example","email":"alice@x.test"}""", "role")]
    public async Task Guests_BadInput_Refused_NobodyInvited(string body, string named)
    {
        using var response = await Send(HttpMethod.Put, "/api/v1/sites/guests", everySite, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains(named, await response.Content.ReadAsStringAsync());
        Assert.Empty(server.Services.GetRequiredService<Invitations>().OpenFor(siteId));
    }
}
