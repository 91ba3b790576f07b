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

public sealed class StatsRateLimitAndOpenApiTests
{
    [Fact]
    public async Task Query_OverPerKeyLimit_429()
    {
        await using var server = await TestServer.StartAsync("--Panorama:StatsRequestsPerMinute=2");
        var key = server.CreateKey(server.AddSite("quota.example").Id);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v2/query")
            {
                Content = new StringContent("""{"site_id": "quota.example", "metrics": ["visitors"], "date_range": "7d"}"""),
            };
            request.Headers.Authorization = new("Bearer", key);
            using var response = await server.Http.SendAsync(request);
            statuses.Add(response.StatusCode);
        }
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task OpenApi_DescribesEveryPublicEndpoint()
    {
        await using var server = await TestServer.StartAsync();
        var document = await server.Http.GetStringAsync("/openapi/v1.json");
        foreach (var path in new[] { "/api/event", "/api/send", "/api/v2/query", "/api/v2/funnel", "/api/v2/goals", "/api/v2/export", "/api/v2/realtime/visitors", "/api/v1/stats/summary" })
            Assert.Contains($"\"{path}\"", document);
    }
}
