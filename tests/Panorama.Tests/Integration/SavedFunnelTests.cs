using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Panorama.Core.Accounts;
using Panorama.Core.Goals;
using Panorama.Core.Sites;
using Panorama.Tests.Support;

namespace Panorama.Tests.Integration;

/// <summary>Funnels saved in a site's settings by editors, offered to the dashboard (shared links included).</summary>
public sealed class SavedFunnelTests : IAsyncLifetime
{
    const string Domain = "funnels.example";
    TestServer server = null!;
    int siteId;

    public async Task InitializeAsync()
    {
        server = await TestServer.StartAsync();
        siteId = server.AddSite(Domain).Id;
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    SavedFunnels Funnels => server.Services.GetRequiredService<SavedFunnels>();

    [Fact]
    public async Task Editor_SavesReplacesAndDeletes_BadFunnelRefusedWithItsReason_ViewerCannot_DashboardOffersIt()
    {
        await server.CreateUserAsync("editor@funnels.test", false, (siteId, SiteRole.Editor));
        await server.CreateUserAsync("viewer@funnels.test", false, (siteId, SiteRole.Viewer));
        var settings = $"/sites/{Domain}/settings";
        using (var viewer = await WebSession.SignInAsync(server, "viewer@funnels.test"))
        {
            var refused = await viewer.PostFormAsync($"/sites/{Domain}", settings + "?handler=SaveFunnel", new() { ["name"] = "Checkout", ["steps"] = "/\n/cart" });
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        }

        using var editor = await WebSession.SignInAsync(server, "editor@funnels.test");
        var oneStep = await editor.PostFormAsync(settings, settings + "?handler=SaveFunnel", new() { ["name"] = "Checkout", ["steps"] = "/cart\n\n" });
        Assert.Contains("A funnel has 2 to 8 steps, one a line.", await oneStep.Content.ReadAsStringAsync());
        var nameless = await editor.PostFormAsync(settings, settings + "?handler=SaveFunnel", new() { ["name"] = " ", ["steps"] = "/\n/cart" });
        Assert.Contains("A funnel needs a name", await nameless.Content.ReadAsStringAsync());
        Assert.Empty(Funnels.For(siteId));

        Assert.Equal(HttpStatusCode.Redirect,
            (await editor.PostFormAsync(settings, settings + "?handler=SaveFunnel", new() { ["name"] = "Checkout", ["steps"] = " /\r\n/cart \r\nPurchase" })).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect,
            (await editor.PostFormAsync(settings, settings + "?handler=SaveFunnel", new() { ["name"] = "checkout", ["steps"] = "/cart\nPurchase" })).StatusCode);
        var saved = Assert.Single(Funnels.For(siteId));
        Assert.Equal("Checkout", saved.Name);
        Assert.Equal(["/cart", "Purchase"], saved.StepList);
        Assert.Contains("/cart → Purchase", WebUtility.HtmlDecode(await (await editor.GetAsync(settings)).Content.ReadAsStringAsync()));

        var dashboard = WebUtility.HtmlDecode(await (await editor.GetAsync($"/sites/{Domain}")).Content.ReadAsStringAsync());
        Assert.Contains("\"funnels\":[{\"name\":\"Checkout\",\"steps\":[\"/cart\",\"Purchase\"]}]", dashboard);
        Assert.Contains("<option value=\"Checkout\">Checkout</option>", dashboard);
        var link = server.Services.GetRequiredService<SharedLinks>().Create(siteId, "Board", null);
        Assert.Contains("\"name\":\"Checkout\"", WebUtility.HtmlDecode(await server.Http.GetStringAsync($"/share/{link.Token}")));

        Assert.Equal(HttpStatusCode.Redirect, (await editor.PostFormAsync(settings, settings + "?handler=DeleteFunnel", new() { ["id"] = saved.Id.ToString() })).StatusCode);
        Assert.Empty(Funnels.For(siteId));
        Assert.DoesNotContain("funnel-saved", await (await editor.GetAsync($"/sites/{Domain}")).Content.ReadAsStringAsync());

        Funnels.Save(siteId, "Again", "/\n/cart");
        await server.Services.GetRequiredService<SiteDeletion>().DeleteAsync(server.Services.GetRequiredService<SiteDirectory>().FindById(siteId)!, "test", CancellationToken.None);
        Assert.Empty(Funnels.For(siteId));
    }
}
