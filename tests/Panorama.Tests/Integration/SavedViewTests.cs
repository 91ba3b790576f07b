using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Panorama.Core.Accounts;
using Panorama.Core.Goals;
using Panorama.Core.Sites;
using Panorama.Tests.Support;

namespace Panorama.Tests.Integration;

/// <summary>Funnels and segments saved in a site's settings by editors, offered to the dashboard (shared links included).</summary>
public sealed class SavedViewTests : IAsyncLifetime
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

    SavedViews Views => server.Services.GetRequiredService<SavedViews>();

    static Dictionary<string, string> Form(string kind, string name, string lines) => new() { ["kind"] = kind, ["name"] = name, ["lines"] = lines };

    [Fact]
    public async Task Funnel_EditorSavesReplacesAndDeletes_BadOneRefusedWithItsReason_ViewerCannot_DashboardOffersIt()
    {
        await server.CreateUserAsync("editor@funnels.test", false, (siteId, SiteRole.Editor));
        await server.CreateUserAsync("viewer@funnels.test", false, (siteId, SiteRole.Viewer));
        var settings = $"/sites/{Domain}/settings";
        var save = settings + "?handler=SaveView";
        using (var viewer = await WebSession.SignInAsync(server, "viewer@funnels.test"))
            Assert.Equal(HttpStatusCode.NotFound, (await viewer.PostFormAsync($"/sites/{Domain}", save, Form("Funnel", "Checkout", "/\n/cart"))).StatusCode);

        using var editor = await WebSession.SignInAsync(server, "editor@funnels.test");
        var oneStep = await editor.PostFormAsync(settings, save, Form("Funnel", "Checkout", "/cart\n\n"));
        Assert.Contains("A funnel has 2 to 8 steps, one a line.", await oneStep.Content.ReadAsStringAsync());
        var nameless = await editor.PostFormAsync(settings, save, Form("Funnel", " ", "/\n/cart"));
        Assert.Contains("A funnel needs a name", await nameless.Content.ReadAsStringAsync());
        Assert.Empty(Views.For(siteId, SavedViewKind.Funnel));

        Assert.Equal(HttpStatusCode.Redirect, (await editor.PostFormAsync(settings, save, Form("Funnel", "Checkout", " /\r\n/cart \r\nPurchase"))).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await editor.PostFormAsync(settings, save, Form("Funnel", "checkout", "/cart\nPurchase"))).StatusCode);
        var saved = Assert.Single(Views.For(siteId, SavedViewKind.Funnel));
        Assert.Equal("Checkout", saved.Name);
        Assert.Equal(["/cart", "Purchase"], saved.LineList);
        Assert.Contains("/cart → Purchase", WebUtility.HtmlDecode(await (await editor.GetAsync(settings)).Content.ReadAsStringAsync()));

        var dashboard = WebUtility.HtmlDecode(await (await editor.GetAsync($"/sites/{Domain}?empty=true")).Content.ReadAsStringAsync());
        Assert.Contains("\"funnels\":[{\"name\":\"Checkout\",\"steps\":[\"/cart\",\"Purchase\"]}]", dashboard);
        Assert.Contains("<option value=\"Checkout\">Checkout</option>", dashboard);
        var link = server.Services.GetRequiredService<SharedLinks>().Create(siteId, "Board", null);
        Assert.Contains("\"name\":\"Checkout\"", WebUtility.HtmlDecode(await server.Http.GetStringAsync($"/share/{link.Token}")));

        Assert.Equal(HttpStatusCode.Redirect, (await editor.PostFormAsync(settings, settings + "?handler=DeleteView", new() { ["id"] = saved.Id.ToString() })).StatusCode);
        Assert.Empty(Views.For(siteId, SavedViewKind.Funnel));
        Assert.DoesNotContain("funnel-saved", await (await editor.GetAsync($"/sites/{Domain}?empty=true")).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Segment_FromTheDashboardsLink_SavedAndOffered_BadFilterNamed_GoneWithTheSite()
    {
        await server.CreateUserAsync("editor@funnels.test", false, (siteId, SiteRole.Editor));
        using var editor = await WebSession.SignInAsync(server, "editor@funnels.test");
        var settings = $"/sites/{Domain}/settings";
        // The dashboard's "Save as a segment" opens the settings with the filters filled in.
        var prefilled = WebUtility.HtmlDecode(await (await editor.GetAsync(settings + "?segment=" + Uri.EscapeDataString("visit:source|is|Google\nvisit:device|is|Mobile"))).Content.ReadAsStringAsync());
        Assert.Contains(">visit:source|is|Google\nvisit:device|is|Mobile</textarea>", prefilled);

        var bad = await editor.PostFormAsync(settings, settings + "?handler=SaveView", Form("Segment", "Mobile Google", "visit:source|is|Google\nvisit:planet|is|Mars"));
        Assert.Contains("Filter 2: 'visit:planet|is|Mars' is not dimension|operator|value", WebUtility.HtmlDecode(await bad.Content.ReadAsStringAsync()));
        Assert.Empty(Views.For(siteId, SavedViewKind.Segment));

        Assert.Equal(HttpStatusCode.Redirect,
            (await editor.PostFormAsync(settings, settings + "?handler=SaveView", Form("Segment", "Mobile Google", "visit:source|is|Google\nvisit:device|is|Mobile"))).StatusCode);
        var dashboard = WebUtility.HtmlDecode(await (await editor.GetAsync($"/sites/{Domain}?empty=true")).Content.ReadAsStringAsync());
        Assert.Contains("\"segments\":[{\"name\":\"Mobile Google\",\"filters\":[\"visit:source|is|Google\",\"visit:device|is|Mobile\"]}]", dashboard);

        Views.Save(siteId, SavedViewKind.Funnel, "Again", "/\n/cart");
        await server.Services.GetRequiredService<SiteDeletion>().DeleteAsync(server.Services.GetRequiredService<SiteDirectory>().FindById(siteId)!, "test", CancellationToken.None);
        Assert.Equal((0, 0), (Views.For(siteId, SavedViewKind.Funnel).Count, Views.For(siteId, SavedViewKind.Segment).Count));
    }
}
