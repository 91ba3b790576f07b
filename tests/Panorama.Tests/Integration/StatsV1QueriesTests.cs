using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Panorama.Core.Goals;
using Panorama.Core.Sites;
using Panorama.Tests.Support;
using static Panorama.Tests.Support.EventBodies;

namespace Panorama.Tests.Integration;

/// <summary>Plausible's v1 aggregate, timeseries and breakdown on known traffic, with v1 filters and the previous-period comparison.</summary>
public sealed class StatsV1QueriesTests : IAsyncLifetime
{
    const string Domain = "v1.example";
    static readonly DateTimeOffset Day = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);
    TestServer server = null!;
    string key = "";

    public async Task InitializeAsync()
    {
        server = await TestServer.StartAsync();
        key = server.CreateKey(server.AddSite(Domain).Id);
        // The day before: A once. The day: A twice in one visit, B (Firefox) on the blog, C on an admin page.
        JsonObject[] events =
        [
            Pageview(Domain, "/", Day.AddDays(-1).AddHours(10), "198.51.100.1"),
            Pageview(Domain, "/", Day.AddHours(10), "198.51.100.1"),
            Pageview(Domain, "/pricing", Day.AddHours(10).AddMinutes(5), "198.51.100.1"),
            Pageview(Domain, "/blog/autumn", Day.AddHours(11), "198.51.100.2", UserAgents.FirefoxLinux),
            Pageview(Domain, "/admin/users", Day.AddHours(12), "198.51.100.3"),
        ];
        foreach (var body in events)
        {
            using var response = await server.PostEventAsync(body, key);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    Task<JsonObject> Get(string path) => server.GetJsonAsync($"/api/v1/stats/{path}&site_id={Domain}", key);

    [Fact]
    public async Task Aggregate_Metrics_WithThePreviousPeriod()
    {
        var results = (await Get("aggregate?period=day&date=2026-11-20&metrics=visitors,pageviews,visits&compare=previous_period"))["results"]!;
        Assert.Equal((3, 4, 3), ((int)results["visitors"]!["value"]!, (int)results["pageviews"]!["value"]!, (int)results["visits"]!["value"]!));
        // 3 visitors against 1 the day before; 4 pageviews against 1.
        Assert.Equal((200.0, 300.0), ((double)results["visitors"]!["change"]!, (double)results["pageviews"]!["change"]!));
        Assert.Null((await Get("aggregate?period=day&date=2026-11-20"))["results"]!["visitors"]!["change"]);
    }

    [Theory]
    [InlineData("event:page==/blog/**", 1)]
    [InlineData("event:page==/pricing|/admin/**", 2)]
    [InlineData("event:page~pric", 1)]
    [InlineData("visit:browser==Firefox", 1)]
    [InlineData("visit:browser!=Firefox", 2)]
    [InlineData("visit:browser!=Firefox;event:page==/admin/**", 1)]
    public async Task Aggregate_V1Filters(string filters, int visitors) =>
        Assert.Equal(visitors, (int)(await Get($"aggregate?period=day&date=2026-11-20&filters={Uri.EscapeDataString(filters)}"))["results"]!["visitors"]!["value"]!);

    [Fact]
    public async Task Timeseries_EveryDayOfThePeriod_ZerosIncluded()
    {
        var rows = (await Get("timeseries?period=7d&date=2026-11-20&metrics=visitors,pageviews"))["results"]!.AsArray();
        Assert.Equal(["2026-11-14", "2026-11-15", "2026-11-16", "2026-11-17", "2026-11-18", "2026-11-19", "2026-11-20"], rows.Select(r => (string)r!["date"]!));
        Assert.Equal([0, 0, 0, 0, 0, 1, 3], rows.Select(r => (int)r!["visitors"]!));
        Assert.Equal([0, 0, 0, 0, 0, 1, 4], rows.Select(r => (int)r!["pageviews"]!));
    }

    [Fact]
    public async Task Timeseries_OneDay_ByHour()
    {
        var rows = (await Get("timeseries?period=day&date=2026-11-20&metrics=pageviews"))["results"]!.AsArray();
        Assert.Equal(24, rows.Count);
        Assert.Equal([2, 1, 1], rows.Skip(10).Take(3).Select(r => (int)r!["pageviews"]!));
        Assert.StartsWith("2026-11-20 10:00", (string)rows[10]!["date"]!);
    }

    [Fact]
    public async Task Breakdown_MetricsFiltersAndPages()
    {
        var rows = (await Get("breakdown?period=day&date=2026-11-20&property=event:page&metrics=pageviews&filters=visit:browser!%3DFirefox"))["results"]!.AsArray();
        Assert.Equal(["/", "/admin/users", "/pricing"], rows.Select(r => (string)r!["page"]!).Order());
        Assert.All(rows, r => Assert.Equal(["page", "pageviews"], r!.AsObject().Select(p => p.Key)));
        Assert.All(rows, r => Assert.Equal(1, (int)r!["pageviews"]!));

        string[] Pages(JsonObject answer) => answer["results"]!.AsArray().Select(r => (string)r!["page"]!).ToArray();
        var first = Pages(await Get("breakdown?period=day&date=2026-11-20&property=event:page&limit=3&page=1"));
        var second = Pages(await Get("breakdown?period=day&date=2026-11-20&property=event:page&limit=3&page=2"));
        Assert.Equal((3, 1), (first.Length, second.Length));
        Assert.Equal(["/", "/admin/users", "/blog/autumn", "/pricing"], first.Concat(second).Order());
    }

    [Fact]
    public async Task Breakdown_GoalsWithConversionRate_AndACustomProperty()
    {
        server.Services.GetRequiredService<GoalService>().Add(server.Services.GetRequiredService<SiteDirectory>().FindByDomain(Domain)!.Id, null, "Signup", null);
        // Of the day's 3 visitors, A signs up twice (plan pro, then team) and C once without a plan.
        foreach (var (ip, minute, plan) in new[] { ("198.51.100.1", 6, "pro"), ("198.51.100.1", 7, "team"), ("198.51.100.3", 1, null) })
            using (var sent = await server.PostEventAsync(Event("Signup", Domain, $"https://{Domain}/", Day.AddHours(ip.EndsWith('1') ? 10 : 12).AddMinutes(minute), ip,
                UserAgents.ChromeWindows, props: plan is null ? null : new JsonObject { ["plan"] = plan }), key))
                Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);

        var goal = Assert.Single((await Get("breakdown?period=day&date=2026-11-20&property=event:goal"))["results"]!.AsArray());
        Assert.Equal(("Signup", 2, 3, 66.67), ((string)goal!["goal"]!, (int)goal["visitors"]!, (int)goal["events"]!, (double)goal["conversion_rate"]!));

        var plans = (await Get("breakdown?period=day&date=2026-11-20&property=event:props:plan&filters=event:name%3D%3DSignup"))["results"]!.AsArray();
        Assert.Equal(["(none):1:1", "pro:1:1", "team:1:1"], plans.Select(r => $"{r!["plan"]}:{r["visitors"]}:{r["events"]}").Order());
        var shares = (await Get("breakdown?period=day&date=2026-11-20&property=visit:browser&metrics=visitors,percentage"))["results"]!.AsArray();
        Assert.Equal(["Chrome:2:66.7", "Firefox:1:33.3"], shares.Select(r => $"{r!["browser"]}:{r["visitors"]}:{r["percentage"]}"));
    }

    [Theory]
    [InlineData("breakdown?period=day&property=event:page&metrics=conversion_rate", "'conversion_rate' can only be queried with an event:goal")]
    [InlineData("breakdown?period=day&property=visit:shoe_size", "'property' must be one of")]
    [InlineData("breakdown?period=day&property=event:page&filters=event:pag==/", "unknown property")]
    [InlineData("aggregate?period=day&filters=visit:shoe_size==42", "unknown property 'visit:shoe_size'")]
    [InlineData("aggregate?period=day&filters=visit:browser", "PROPERTY==VALUE")]
    [InlineData("aggregate?period=day&metrics=visitors,happiness", "happiness")]
    [InlineData("timeseries?period=7d&interval=fortnight", "'interval'")]
    [InlineData("aggregate?period=forever", "'period'")]
    public async Task BadRequest_400_NamingTheProblem(string path, string expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/stats/{path}&site_id={Domain}");
        request.Headers.Authorization = new("Bearer", key);
        using var response = await server.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync());
    }
}
