using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Panorama.Core.Accounts;
using Panorama.Core.Goals;
using Panorama.Tests.Support;

namespace Panorama.Tests.Integration;

/// <summary>Spend imported through the page, joined with attributed conversions from known traffic.</summary>
public sealed partial class RoiTests : IAsyncLifetime
{
    TestServer server = null!;
    int siteId;

    public async Task InitializeAsync()
    {
        server = await TestServer.StartAsync();
        siteId = server.AddSite("shop.test").Id;
        server.Services.GetRequiredService<GoalService>().Add(siteId, null, "Purchase", "RUB");
        var key = server.CreateKey(siteId);
        var at = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(-1).AddHours(10), TimeSpan.Zero);
        async Task Post(JsonObject body) => Assert.True((await server.PostEventAsync(body, key)).IsSuccessStatusCode);
        // A: from a paid-search ad of the "autumn" campaign, buys for 3,000. B: comes direct, buys for 1,000.
        await Post(EventBodies.Pageview("shop.test", "/?utm_source=google&utm_medium=cpc&utm_campaign=autumn", at, "203.0.113.1"));
        await Post(EventBodies.Event("Purchase", "shop.test", "https://shop.test/checkout", at.AddMinutes(5), "203.0.113.1", UserAgents.ChromeWindows, revenue: new JsonObject { ["amount"] = "3000", ["currency"] = "RUB" }));
        await Post(EventBodies.Pageview("shop.test", "/", at, "203.0.113.2"));
        await Post(EventBodies.Event("Purchase", "shop.test", "https://shop.test/checkout", at.AddMinutes(5), "203.0.113.2", UserAgents.ChromeWindows, revenue: new JsonObject { ["amount"] = "1000", ["currency"] = "RUB" }));
        await server.CreateUserAsync("admin@x.test", false, (siteId, SiteRole.Admin));
        await server.CreateUserAsync("viewer@x.test", false, (siteId, SiteRole.Viewer));
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    static async Task<HttpResponseMessage> UploadAsync(WebSession session, string csv)
    {
        var page = await (await session.GetAsync("/sites/shop.test/roi")).Content.ReadAsStringAsync();
        var token = Token().Match(page).Groups[1].Value;
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(token), "__RequestVerificationToken");
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", "spend.csv");
        return await session.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/sites/shop.test/roi?handler=Import") { Content = form });
    }

    [Fact]
    public async Task Roi_SpendImportedOnceJoinedWithAttributedConversions()
    {
        using var admin = await WebSession.SignInAsync(server, "admin@x.test");
        var day = DateTime.UtcNow.Date.AddDays(-1).ToString("yyyy-MM-dd");
        var csv = $"date,channel,campaign,cost,currency\n{day},Paid Search,autumn,2000,RUB\n";
        Assert.Contains("1 new rows, 0 updated, 0 unchanged", await (await UploadAsync(admin, csv)).Content.ReadAsStringAsync());
        Assert.Contains("0 new rows, 0 updated, 1 unchanged", await (await UploadAsync(admin, csv)).Content.ReadAsStringAsync());
        var rejected = await (await UploadAsync(admin, csv + $"{day},Paid Search,autumn,2500,RUB\n{day},Email,news,5,RUB\n")).Content.ReadAsStringAsync();
        Assert.Contains("line 3: the same day, channel, campaign and currency as line 2.", rejected);
        using (var db = server.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Panorama.Core.Data.PanoramaDbContext>>().CreateDbContext())
            Assert.Equal(2000m, Assert.Single(db.SpendRows).Cost);

        var page = await (await admin.GetAsync("/sites/shop.test/roi?model=LastNonDirect&days=7")).Content.ReadAsStringAsync();
        var row = Row().Match(page[page.IndexOf("id=\"roi-campaigns\"", StringComparison.Ordinal)..]);
        Assert.True(row.Success, page);
        // Paid Search / autumn: 1 conversion, 3,000 revenue, 2,000 spend: CAC 2,000, ROAS 1.5, ROI 50%.
        Assert.Equal(["Paid Search", "autumn", "2,000", "1", "3,000", "2,000", "1.5", "50%"],
            Cells().Matches(row.Value).Select(m => Regex.Replace(m.Groups[1].Value, "<[^>]+>", "").Trim().Replace("\u00A0", " ")));

        var cut = await (await admin.GetAsync("/sites/shop.test/roi?model=LastNonDirect&days=7&cutChannel=Paid%20Search&cutAmount=1000")).Content.ReadAsStringAsync();
        Assert.Contains("would lose about 0.5 conversions and 1,500 RUB of revenue", cut);
    }

    [Fact]
    public async Task Import_ByAViewer_NotFound()
    {
        using var viewer = await WebSession.SignInAsync(server, "viewer@x.test");
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/sites/shop.test/roi")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await UploadAsync(viewer, "date,channel,campaign,cost,currency\n2026-11-01,Email,x,1,RUB\n")).StatusCode);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();

    [GeneratedRegex("<tr data-channel=\"Paid Search\" data-campaign=\"autumn\">.*?</tr>", RegexOptions.Singleline)]
    private static partial Regex Row();

    [GeneratedRegex("<td[^>]*>(.*?)</td>", RegexOptions.Singleline)]
    private static partial Regex Cells();
}
