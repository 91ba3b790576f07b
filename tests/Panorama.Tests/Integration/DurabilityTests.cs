using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Panorama.Tests.Support;

namespace Panorama.Tests.Integration;

/// <summary>A 2xx from ingestion means the event survives <c>kill -9</c> of the server.</summary>
public sealed class DurabilityTests
{
    [Fact]
    public async Task PostEvent_ServerKilledUnderLoad_EveryAcknowledgedEventSurvivesExactlyOnce()
    {
        using var data = new TempDirectory();
        var (code, _, error) = await PanoramaProcess.RunAsync("sites", "add", "durable.example", "--data", data.Path);
        Assert.True(code == 0, error);
        var (keyCode, keyOut, keyError) = await PanoramaProcess.RunAsync("keys", "create", "--name", "crash-test", "--data", data.Path);
        Assert.True(keyCode == 0, keyError);
        var key = keyOut.Trim();

        var acknowledged = new ConcurrentBag<int>();
        var refusals = new ConcurrentQueue<string>();
        var day = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
        using (var server = await PanoramaProcess.StartServerAsync(data.Path))
        {
            using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl), Timeout = TimeSpan.FromSeconds(10) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
            var next = -1;
            var killed = 0;
            async Task Send()
            {
                while (Volatile.Read(ref killed) == 0)
                {
                    var i = Interlocked.Increment(ref next);
                    if (i >= 20_000) return;
                    var body = new JsonObject
                    {
                        ["n"] = "pageview", ["d"] = "durable.example", ["u"] = $"https://durable.example/p/{i}",
                        ["timestamp"] = day.AddSeconds(i).ToString("O"), ["ip"] = $"198.51.{i / 250 % 250}.{i % 250 + 1}", ["userAgent"] = UserAgents.ChromeWindows,
                    };
                    try
                    {
                        using var response = await http.PostAsync("/api/event", new StringContent(body.ToJsonString(), Encoding.UTF8, "text/plain"));
                        if (response.StatusCode == HttpStatusCode.Accepted) acknowledged.Add(i);
                        else refusals.Enqueue($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                    }
                    catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
                    {
                        // The server died mid-request: this event was never acknowledged.
                    }
                }
            }
            var senders = Enumerable.Range(0, 8).Select(_ => Task.Run(Send)).ToArray();
            // Until enough are acknowledged; senders that ran out of events (or failed) end the wait instead of hanging it.
            while (acknowledged.Count < 1500 && !senders.All(t => t.IsCompleted)) await Task.Delay(5);
            Assert.True(acknowledged.Count >= 1500, $"only {acknowledged.Count} events acknowledged before the senders stopped: {string.Join("; ", refusals.Take(3))}");
            server.KillHard();
            Volatile.Write(ref killed, 1);
            await Task.WhenAll(senders);
        }

        using var restarted = await PanoramaProcess.StartServerAsync(data.Path);
        using var reader = new HttpClient { BaseAddress = new Uri(restarted.BaseUrl) };
        reader.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var report = JsonNode.Parse(await reader.GetStringAsync("/api/v1/stats/breakdown?site_id=durable.example&period=day&date=2026-03-01&property=event:page&limit=10000"))!;
        var stored = report["results"]!.AsArray().ToDictionary(row => (string)row!["page"]!, row => (int)row!["pageviews"]!);
        var missing = acknowledged.Where(i => !stored.ContainsKey($"/p/{i}")).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} of {acknowledged.Count} acknowledged events were lost, e.g. {string.Join(", ", missing.Take(5))}");
        Assert.All(stored.Values, count => Assert.Equal(1, count));
    }
}
