using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Panorama.Core.Accounts;
using Panorama.Core.Decisions;
using Panorama.Tests.Support;

namespace Panorama.Tests.Integration;

/// <summary>Who may move a decision along, through the web forms with real storage.</summary>
public sealed class DecisionWorkflowTests : IAsyncLifetime
{
    TestServer server = null!;
    int siteId;

    public async Task InitializeAsync()
    {
        server = await TestServer.StartAsync();
        siteId = server.AddSite("shop.test").Id;
        await server.CreateUserAsync("head@x.test", owner: true);
        await server.CreateUserAsync("admin@x.test", false, (siteId, SiteRole.Admin));
        await server.CreateUserAsync("viewer@x.test", false, (siteId, SiteRole.Viewer));
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    async Task<int> ProposeAsync(WebSession session, string importance, bool withoutMarketing = false)
    {
        var fields = new Dictionary<string, string> { ["title"] = "Cut display ads", ["importance"] = importance, ["siteId"] = siteId.ToString(System.Globalization.CultureInfo.InvariantCulture), ["metric"] = "visitors" };
        if (withoutMarketing) fields["withoutMarketing"] = "true";
        var response = await session.PostFormAsync("/decisions", "/decisions", fields);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return int.Parse(response.Headers.Location!.OriginalString.Split('/').Last(), System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Decide_ImportantNeedsTheHead_RoutineAnAdmin_ViewerNeither()
    {
        using var viewer = await WebSession.SignInAsync(server, "viewer@x.test");
        using var admin = await WebSession.SignInAsync(server, "admin@x.test");
        using var head = await WebSession.SignInAsync(server, "head@x.test");
        var register = server.Services.GetRequiredService<DecisionRegister>();

        var important = await ProposeAsync(viewer, "Important");
        Assert.Equal(HttpStatusCode.Redirect, (await viewer.PostFormAsync($"/decisions/{important}", $"/decisions/{important}?handler=Submit", new())).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await viewer.PostFormAsync($"/decisions/{important}", $"/decisions/{important}?handler=Decide", new() { ["approve"] = "true" })).StatusCode);
        var refused = await admin.PostFormAsync($"/decisions/{important}", $"/decisions/{important}?handler=Decide", new() { ["approve"] = "true" });
        Assert.Contains("needs the approval of the head of internet marketing", await refused.Content.ReadAsStringAsync());
        Assert.Equal(DecisionStatus.UnderReview, register.Find(important)!.Status);
        await head.PostFormAsync($"/decisions/{important}", $"/decisions/{important}?handler=Decide", new() { ["approve"] = "true" });
        Assert.Equal((DecisionStatus.Approved, "head@x.test"), (register.Find(important)!.Status, register.Find(important)!.DecidedBy));

        var routine = await ProposeAsync(admin, "Routine");
        await admin.PostFormAsync($"/decisions/{routine}", $"/decisions/{routine}?handler=Submit", new());
        await admin.PostFormAsync($"/decisions/{routine}", $"/decisions/{routine}?handler=Decide", new() { ["approve"] = "false" });
        Assert.Equal(DecisionStatus.Rejected, register.Find(routine)!.Status);
        Assert.Equal(3, register.History(routine).Count);
    }

    [Fact]
    public async Task ImplementationDate_IsTheSitesDay_NotUtcs()
    {
        var (zone, today) = DepartmentTests.ZoneOnAnotherDay();
        var site = server.AddSite("far.test", zone);
        var register = server.Services.GetRequiredService<DecisionRegister>();
        var decision = await register.ProposeAsync(new Decision { Title = "Night delivery", ProposedBy = "head@x.test", SiteId = site.Id }, [], CancellationToken.None);
        register.Submit(decision.Id, "head@x.test");
        register.Decide(decision.Id, true, "head@x.test", isHead: true, "");
        using (var head = await WebSession.SignInAsync(server, "head@x.test"))
            Assert.Contains($"max=\"{today:yyyy-MM-dd}\"", await (await head.GetAsync($"/decisions/{decision.Id}")).Content.ReadAsStringAsync());
        var tooLate = Assert.Throws<DecisionRegister.WorkflowException>(() => register.Implement(decision.Id, today.AddDays(1), "head@x.test"));
        Assert.Equal("The implementation date cannot be in the future.", tooLate.Message);
        Assert.Equal(today, register.Implement(decision.Id, today, "head@x.test").ImplementedOn);
    }

    [Fact]
    public async Task WithoutMarketing_MarkedForGood_AndCountedInTheQuarterShare()
    {
        using var head = await WebSession.SignInAsync(server, "head@x.test");
        var outside = await ProposeAsync(head, "Strategic", withoutMarketing: true);
        var inside = await ProposeAsync(head, "Routine");
        await head.PostFormAsync($"/decisions/{inside}", $"/decisions/{inside}?handler=Submit", new());
        await head.PostFormAsync($"/decisions/{inside}", $"/decisions/{inside}?handler=Decide", new() { ["approve"] = "true" });
        var page = await (await head.GetAsync($"/decisions/{outside}")).Content.ReadAsStringAsync();
        Assert.Contains("marketing carries no responsibility", page);
        var quarter = Assert.Single(server.Services.GetRequiredService<DecisionRegister>().ParticipationByQuarter());
        Assert.Equal((2, 1), (quarter.Total, quarter.WithMarketing));
    }

    [Fact]
    public async Task Decide_ImportantByTheHeadsDelegate_Allowed()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        server.Services.GetRequiredService<Panorama.Core.Department.DepartmentStore>().Save($$"""
            people:
              - {id: head, name: Head, account: head@x.test}
              - {id: deputy, name: Deputy, account: admin@x.test}
            functions:
              - {id: approvals, name: Approvals, accountable: [head], authority_amount: 1000000}
            delegations:
              - {from: head, to: deputy, function: approvals, start: {{today.AddDays(-1):yyyy-MM-dd}}, until: {{today.AddDays(5):yyyy-MM-dd}}, reason: holiday}
            """, "test");
        using var admin = await WebSession.SignInAsync(server, "admin@x.test");
        var id = await ProposeAsync(admin, "Strategic");
        await admin.PostFormAsync($"/decisions/{id}", $"/decisions/{id}?handler=Submit", new());
        await admin.PostFormAsync($"/decisions/{id}", $"/decisions/{id}?handler=Decide", new() { ["approve"] = "true" });
        var decision = server.Services.GetRequiredService<DecisionRegister>().Find(id)!;
        Assert.Equal((DecisionStatus.Approved, "admin@x.test"), (decision.Status, decision.DecidedBy));
    }
}
