using System.Net;
using System.Text.Json.Nodes;
using Panorama.Tests.Support;

namespace Panorama.Tests.Integration;

/// <summary>A node whose spool reached its bound refuses events with 503 and Retry-After — never a silent drop — and says so on /healthz.</summary>
public sealed class SpoolLimitTests : IAsyncLifetime
{
    TestServer server = null!;

    // One event's spool record is a few hundred bytes: after the first, the spool is "full".
    public async Task InitializeAsync() => server = await TestServer.StartAsync("--Panorama:Ingestion:MaxSpoolBytes=10");

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task SpoolFull_503WithRetryAfter_HealthzUnhealthy_EarlierEventKept()
    {
        server.AddSite("full.test");
        var body = EventBodies.Pageview("full.test", "/", DateTimeOffset.UtcNow, "198.51.100.7");
        using (var first = await server.PostEventAsync(body, userAgent: UserAgents.ChromeWindows)) Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        using var refused = await server.PostEventAsync(body, userAgent: UserAgents.ChromeWindows);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("30", refused.Headers.RetryAfter!.ToString());
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType!.MediaType);
        Assert.Contains("spool is full", (string)JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["detail"]!);

        using var health = await server.Http.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Contains("spool is full", await health.Content.ReadAsStringAsync());
        Assert.Contains("panorama_spool_limit_bytes 10", await server.Http.GetStringAsync("/metrics"));
        Assert.Contains("panorama_events_accepted_total 1", await server.Http.GetStringAsync("/metrics"));
    }
}
