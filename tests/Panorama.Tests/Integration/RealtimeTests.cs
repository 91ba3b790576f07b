using System.Net.Http.Headers;
using Panorama.Tests.Support;

namespace Panorama.Tests.Integration;

public sealed class RealtimeTests
{
    [Fact]
    public async Task Realtime_VisitorsInLastFiveMinutes_AndLiveStreamDeliversNewEvents()
    {
        await using var server = await TestServer.StartAsync();
        var site = server.AddSite("live.example");
        var key = server.CreateKey(site.Id);

        using var stream = new HttpClient { BaseAddress = new Uri(server.BaseUrl), Timeout = TimeSpan.FromSeconds(20) };
        using var response = await stream.GetAsync($"/api/v2/realtime/stream?site_id=live.example&api_key={key}", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.Equal(": connected", await reader.ReadLineAsync());

        using var posted = await server.PostAsync("/api/event", """{"n":"pageview","u":"https://live.example/now","d":"live.example"}""", userAgent: UserAgents.ChromeWindows);
        string? line;
        do line = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10));
        while (line is not null && !line.StartsWith("data:", StringComparison.Ordinal));
        Assert.Contains("\"page\":\"/now\"", line);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v2/realtime/visitors?site_id=live.example");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var visitors = await server.Http.SendAsync(request);
        Assert.Equal("1", await visitors.Content.ReadAsStringAsync());
    }
}
