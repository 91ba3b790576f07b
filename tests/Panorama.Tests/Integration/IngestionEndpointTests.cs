using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Text.Json.Nodes;
using Panorama.Tests.Support;
using static Panorama.Tests.Support.EventBodies;

namespace Panorama.Tests.Integration;

/// <summary>What the ingestion endpoints answer to good and bad input, and that bad input stores nothing.</summary>
public sealed class IngestionEndpointTests : IAsyncLifetime
{
    const string Domain = "ingest.example";
    TestServer server = null!;
    string key = "";
    int siteId;

    public async Task InitializeAsync()
    {
        server = await TestServer.StartAsync("--Panorama:Ingestion:TrustedProxies:0=127.0.0.1");
        siteId = server.AddSite(Domain).Id;
        key = server.CreateKey(siteId);
    }

    static string Plain(string path, string? referrer = null) =>
        new JsonObject { ["n"] = "pageview", ["u"] = $"https://{Domain}{path}", ["d"] = Domain, ["r"] = referrer }.ToJsonString();

    async Task<JsonNode> Today() =>
        (await server.GetJsonAsync($"/api/v1/stats/summary?site_id={Domain}&period=7d", key))["results"]!;

    static async Task AssertProblem(HttpResponseMessage response, HttpStatusCode status, string detail)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal((int)status, (int)problem["status"]!);
        Assert.Contains(detail, (string)problem["detail"]!);
    }

    [Fact]
    public async Task PostEvent_BadInput_4xxWithReasonAndNothingStored()
    {
        await AssertProblem(await server.PostAsync("/api/event", """{"n":"pageview","u":"https://nope.example/","d":"nope.example"}""", userAgent: UserAgents.ChromeWindows), HttpStatusCode.NotFound, "nope.example");
        await AssertProblem(await server.PostAsync("/api/event", """{"n":"pageview",""", userAgent: UserAgents.ChromeWindows), HttpStatusCode.BadRequest, "not valid JSON");
        await AssertProblem(await server.PostAsync("/api/event", """{"n":"pageview","u":"not a url","d":"ingest.example"}""", userAgent: UserAgents.ChromeWindows), HttpStatusCode.BadRequest, "'url'");
        var props = new JsonObject();
        for (var i = 0; i < 31; i++) props[$"k{i}"] = "v";
        var tooMany = new JsonObject { ["n"] = "x", ["u"] = $"https://{Domain}/", ["d"] = Domain, ["p"] = props };
        await AssertProblem(await server.PostAsync("/api/event", tooMany.ToJsonString(), userAgent: UserAgents.ChromeWindows), HttpStatusCode.BadRequest, "at most 30");
        var huge = new JsonObject { ["n"] = "x", ["u"] = $"https://{Domain}/", ["d"] = Domain, ["p"] = new JsonObject { ["a"] = new string('x', 70_000) } };
        await AssertProblem(await server.PostAsync("/api/event", huge.ToJsonString(), userAgent: UserAgents.ChromeWindows), HttpStatusCode.RequestEntityTooLarge, "at most");
        await AssertProblem(await server.PostAsync("/api/event", Plain("/"), apiKey: "pk_invalid", userAgent: UserAgents.ChromeWindows), HttpStatusCode.Unauthorized, "not valid");

        var today = await Today();
        Assert.Equal(0, (int)today["events"]!);
    }

    [Fact]
    public async Task PostEvent_Valid_202AndCounted()
    {
        using var response = await server.PostAsync("/api/event", Plain("/hello"), userAgent: UserAgents.ChromeWindows, forwardedFor: "198.51.100.1");
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        // As Plausible answers.
        Assert.Equal("text/plain; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
        Assert.True((int)(await Today())["pageviews"]! >= 1);
    }

    [Fact]
    public async Task PostUmamiEvent_Valid_200OkTrue()
    {
        var site = server.Services.GetRequiredService<Panorama.Core.Sites.SiteDirectory>().FindByDomain(Domain)!;
        var body = new JsonObject { ["type"] = "event", ["payload"] = new JsonObject { ["website"] = site.PublicId.ToString(), ["url"] = "/umami", ["hostname"] = Domain } };
        using var response = await server.PostAsync("/api/send", body.ToJsonString(), userAgent: UserAgents.ChromeWindows, forwardedFor: "198.51.100.2");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Equal("""{"ok":true}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task PostEvent_OverridesWithoutKey_Ignored()
    {
        var body = Pageview(Domain, "/old", new DateTimeOffset(2026, 1, 5, 12, 0, 0, TimeSpan.Zero), "203.0.113.77");
        using var response = await server.PostEventAsync(body, apiKey: null, userAgent: UserAgents.FirefoxLinux);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var january = (await server.GetJsonAsync($"/api/v1/stats/summary?site_id={Domain}&period=day&date=2026-01-05", key))["results"]!;
        Assert.Equal(0, (int)january["pageviews"]!);
    }

    [Fact]
    public async Task PostEvent_OverridesWithKey_BackfilledOnThatDay()
    {
        var body = Pageview(Domain, "/old", new DateTimeOffset(2026, 1, 6, 12, 0, 0, TimeSpan.Zero), "203.0.113.77");
        using var response = await server.PostEventAsync(body, key);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var day = (await server.GetJsonAsync($"/api/v1/stats/summary?site_id={Domain}&period=day&date=2026-01-06", key))["results"]!;
        Assert.Equal(1, (int)day["pageviews"]!);
    }

    [Fact]
    public async Task PostEvent_FutureTimestamp_400()
    {
        var body = Pageview(Domain, "/", DateTimeOffset.UtcNow.AddDays(2), "203.0.113.77");
        await AssertProblem(await server.PostEventAsync(body, key), HttpStatusCode.BadRequest, "future");
    }

    [Fact]
    public async Task PostEvent_BotUserAgent_202ButDropped()
    {
        using var response = await server.PostAsync("/api/event", Plain("/bot"), userAgent: UserAgents.YandexBot);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("bot", response.Headers.GetValues("X-Panorama-Dropped").Single());
    }

    [Fact]
    public async Task PostEvent_TrustedProxy_ForwardedForSeparatesVisitors()
    {
        Assert.Equal(2, await VisitorsFromTwoForwardedAddresses(server));
    }

    [Fact]
    public async Task PostEvent_UntrustedPeer_ForwardedForIgnored()
    {
        await using var untrusting = await TestServer.StartAsync();
        Assert.Equal(1, await VisitorsFromTwoForwardedAddresses(untrusting));
    }

    static async Task<int> VisitorsFromTwoForwardedAddresses(TestServer target)
    {
        var site = target.AddSite("xff.example");
        var siteKey = target.CreateKey(site.Id);
        foreach (var ip in new[] { "198.51.100.10", "198.51.100.11" })
        {
            var body = new JsonObject { ["n"] = "pageview", ["u"] = "https://xff.example/", ["d"] = "xff.example" }.ToJsonString();
            using var response = await target.PostAsync("/api/event", body, userAgent: UserAgents.ChromeWindows, forwardedFor: ip);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }
        var today = (await target.GetJsonAsync("/api/v1/stats/summary?site_id=xff.example&period=7d", siteKey))["results"]!;
        return (int)today["visitors"]!;
    }

    [Fact]
    public async Task PostSend_UmamiPayload_Counted()
    {
        var site = server.AddSite("umami-" + Domain);
        var umamiKey = server.CreateKey(site.Id);
        var body = new JsonObject
        {
            ["type"] = "event",
            ["payload"] = new JsonObject { ["website"] = site.PublicId.ToString(), ["hostname"] = site.Domain, ["url"] = "/from-umami", ["screen"] = "390x844" },
        };
        using var response = await server.PostAsync("/api/send", body.ToJsonString(), userAgent: UserAgents.SafariIphone);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var pages = await server.GetJsonAsync($"/api/v1/stats/breakdown?site_id={site.Domain}&period=7d&property=event:page", umamiKey);
        Assert.Equal("/from-umami", (string)pages["results"]![0]!["page"]!);
    }

    [Fact]
    public async Task Tracker_ServedSmallCachedAndCrossOrigin()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/js/script.js");
        request.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip");
        using var response = await server.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("gzip", response.Content.Headers.ContentEncoding.Single());
        var gzipped = await response.Content.ReadAsByteArrayAsync();
        Assert.True(gzipped.Length <= 1536, $"tracker is {gzipped.Length} bytes gzipped");
        Assert.Contains("max-age", response.Headers.CacheControl!.ToString());
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());

        using var again = new HttpRequestMessage(HttpMethod.Get, "/js/script.js");
        again.Headers.TryAddWithoutValidation("If-None-Match", response.Headers.ETag!.ToString());
        using var notModified = await server.Http.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
    }

    [Fact]
    public async Task PostEvent_CorsPreflight_AllowsAnyOrigin()
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "/api/event");
        request.Headers.TryAddWithoutValidation("Origin", "https://ingest.example");
        request.Headers.TryAddWithoutValidation("Access-Control-Request-Method", "POST");
        request.Headers.TryAddWithoutValidation("Access-Control-Request-Headers", "content-type");
        using var response = await server.Http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Theory]
    [InlineData("/api/event", """{"n":"pageview","u":"https://ingest.example/cors","d":"ingest.example"}""", HttpStatusCode.Accepted)]
    [InlineData("/API/Event/", """{"n":"pageview","u":"https://ingest.example/cors","d":"ingest.example"}""", HttpStatusCode.Accepted)]
    [InlineData("/api/event", """{"n":"pageview","u":"https://nope.example/","d":"nope.example"}""", HttpStatusCode.NotFound)]
    [InlineData("/api/send", """{"type":"event","payload":{"website":"00000000-0000-0000-0000-000000000000","url":"/"}}""", HttpStatusCode.NotFound)]
    public async Task Post_FromAnotherOrigin_AnswersCrossOrigin(string path, string body, HttpStatusCode status)
    {
        // Ingestion is answered ahead of the CORS middleware (IngestionEndpoints.UseIngestion), so it adds the header itself.
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, System.Text.Encoding.UTF8, "text/plain") };
        request.Headers.TryAddWithoutValidation("Origin", "https://ingest.example");
        request.Headers.TryAddWithoutValidation("User-Agent", UserAgents.ChromeWindows);
        using var response = await server.Http.SendAsync(request);
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Fact]
    public async Task OtherMethodsOnIngestionRoutes_GoThroughRouting()
    {
        using var response = await server.Http.GetAsync("/api/event");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        using var lookalike = await server.Http.PostAsync("/api/events", new StringContent("{}"));
        Assert.Equal(HttpStatusCode.NotFound, lookalike.StatusCode);
    }

    public async Task DisposeAsync() => await server.DisposeAsync();
}
