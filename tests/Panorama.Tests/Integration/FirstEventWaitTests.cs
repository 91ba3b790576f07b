using System.Net;
using Panorama.Core.Accounts;
using Panorama.Tests.Support;

namespace Panorama.Tests.Integration;

/// <summary>A site's dashboard before its first event: the snippet and a wait, then the dashboard once an event is stored.</summary>
public sealed class FirstEventWaitTests : IAsyncLifetime
{
    TestServer server = null!;
    string key = "";

    public async Task InitializeAsync()
    {
        server = await TestServer.StartAsync();
        var site = server.AddSite("new.test");
        key = server.CreateKey(site.Id);
        await server.CreateUserAsync("viewer@x.test", false, (site.Id, SiteRole.Viewer));
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task Dashboard_WaitsWithTheSnippet_UntilTheFirstEvent_OrShowsItEmptyOnRequest()
    {
        using var viewer = await WebSession.SignInAsync(server, "viewer@x.test");
        var waiting = await (await viewer.GetAsync("/sites/new.test")).Content.ReadAsStringAsync();
        Assert.Contains("Waiting for the first pageview on new.test", waiting);
        Assert.Contains("data-domain=&quot;new.test&quot;", waiting);
        Assert.DoesNotContain("id=\"realtime-count\"", waiting);
        Assert.Contains("id=\"realtime-count\"", await (await viewer.GetAsync("/sites/new.test?empty=true")).Content.ReadAsStringAsync());

        using var posted = await server.PostEventAsync(EventBodies.Pageview("new.test", "/", DateTimeOffset.UtcNow, "198.51.100.7"), key);
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        // What the waiting page asks before it reloads: the realtime count, answered once the event is stored.
        Assert.Equal("1", await (await viewer.GetAsync("/api/v2/realtime/visitors?site_id=new.test")).Content.ReadAsStringAsync());
        var dashboard = await (await viewer.GetAsync("/sites/new.test")).Content.ReadAsStringAsync();
        Assert.Contains("id=\"realtime-count\"", dashboard);
        Assert.DoesNotContain("Waiting for the first pageview", dashboard);
    }
}
