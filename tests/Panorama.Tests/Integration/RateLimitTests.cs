using System.Net;
using Panorama.Tests.Support;

namespace Panorama.Tests.Integration;

public sealed class RateLimitTests
{
    [Fact]
    public async Task PostEvent_OverPerIpLimit_429WithRetryAfter_ButKeyedRequestsPass()
    {
        await using var server = await TestServer.StartAsync("--Panorama:Ingestion:EventsPerSecondPerIp=1", "--Panorama:Ingestion:BurstPerIp=1");
        var site = server.AddSite("limited.example");
        var key = server.CreateKey(site.Id);
        const string body = """{"n":"pageview","u":"https://limited.example/","d":"limited.example"}""";
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await server.PostAsync("/api/event", body, userAgent: UserAgents.ChromeWindows);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests) Assert.NotNull(response.Headers.RetryAfter);
        }
        Assert.Contains(HttpStatusCode.Accepted, statuses);
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);

        using var keyed = await server.PostAsync("/api/event", body, apiKey: key, userAgent: UserAgents.ChromeWindows);
        Assert.Equal(HttpStatusCode.Accepted, keyed.StatusCode);
    }
}
