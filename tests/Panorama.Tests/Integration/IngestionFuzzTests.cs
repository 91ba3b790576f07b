using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Panorama.Storage.DuckDb;
using Panorama.Tests.Support;

namespace Panorama.Tests.Integration;

/// <summary>
/// Mangled bodies, as a fuzzer sends them: every answer is a 2xx or a 4xx with a problem body, never a 5xx, and the
/// store keeps taking events afterwards. A fixed seed, so a failure names a body that fails again.
/// </summary>
public sealed class IngestionFuzzTests : IAsyncLifetime
{
    const string Domain = "fuzz.example";
    TestServer server = null!;
    string key = "";
    int siteId;

    // Values that broke, or could break, a reader: escaped lone surrogates, numbers past every range, odd URLs and dates.
    static readonly JsonNode?[] Values =
    [
        null, true, false, 0, -1, 1.5, 1e308, -1e308, decimal.MaxValue, ulong.MaxValue, "", " ", new string('x', 3000), "\0", "é", "../..",
        "http://", "https://fuzz.example/" + new string('a', 1990), "https://fuzz.example/?a=%ZZ", "https://[::1]/", "https://fuzz.example:99999/",
        "javascript:alert(1)", Domain, "FUZZ.EXAMPLE,other.example", new JsonArray(), new JsonArray(1), new JsonObject(),
        new JsonObject { ["a"] = null }, new JsonObject { ["a"] = new JsonArray(1) }, new JsonObject { ["amount"] = "1e400", ["currency"] = "EUR" },
        new JsonObject { ["amount"] = -5, ["currency"] = "eur" }, new JsonObject { ["amount"] = "NaN", ["currency"] = "USD" }, "2026-13-45",
        "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "99999999999999999", "1764000000", 1764000000, "::1", "999.1.1.1", "2001:db8::1",
        "\U0001F600", "<script>", "١٢٣",
    ];

    // Written into the JSON text as they are, since a .NET string cannot hold them: escaped lone surrogates.
    static readonly string[] RawValues = ["\"\\ud800\"", "\"\\udc00x\"", "\"a\\ud83d\"", "1e400", "-0", "18446744073709551616"];

    static readonly string[] Fields =
        ["n", "name", "u", "url", "d", "domain", "r", "referrer", "p", "props", "m", "meta", "h", "i", "$", "revenue", "sd", "e", "w", "timestamp", "ip", "userAgent"];

    public async Task InitializeAsync()
    {
        server = await TestServer.StartAsync("--Panorama:Ingestion:EventsPerSecondPerIp=0");
        siteId = server.AddSite(Domain).Id;
        key = server.CreateKey(siteId);
    }

    [Fact]
    public async Task MangledBodies_NeverA5xx_AndTheStoreStillTakesEvents()
    {
        var random = new Random(2026);
        var failures = new List<string>();
        for (var i = 0; i < 800; i++)
        {
            var body = Mangled(random);
            var umami = random.Next(5) == 0;
            if (umami) body = Encoding.UTF8.GetBytes("{\"type\":\"event\",\"payload\":").Concat(body).Concat("}"u8.ToArray()).ToArray();
            using var request = new HttpRequestMessage(HttpMethod.Post, umami ? "/api/send" : "/api/event") { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
            request.Headers.TryAddWithoutValidation("User-Agent", UserAgents.ChromeWindows);
            if (random.Next(2) == 0) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            using var response = await server.Http.SendAsync(request);
            var status = (int)response.StatusCode;
            if (status >= 500 || (status >= 400 && response.Content.Headers.ContentType?.MediaType != "application/problem+json"))
                failures.Add($"{status} for {request.RequestUri}: {Encoding.UTF8.GetString(body)}");
        }
        Assert.Empty(failures);

        var store = server.Services.GetRequiredService<DuckDbEventStore>();
        await server.GetJsonAsync($"/api/v1/stats/summary?site_id={Domain}&period=7d", key); // waits for what was acknowledged
        var before = store.CountEvents(siteId);
        using var valid = await server.PostAsync("/api/event", $$"""{"n":"pageview","u":"https://{{Domain}}/after","d":"{{Domain}}"}""", userAgent: UserAgents.ChromeWindows);
        Assert.Equal(HttpStatusCode.Accepted, valid.StatusCode);
        await server.GetJsonAsync($"/api/v1/stats/summary?site_id={Domain}&period=7d", key);
        Assert.Equal(before + 1, store.CountEvents(siteId));
    }

    static byte[] Mangled(Random random)
    {
        var text = new StringBuilder($$"""{"n":"pageview","u":"https://{{Domain}}/p","d":"{{Domain}}" """);
        for (var f = random.Next(1, 5); f > 0; f--)
        {
            var value = random.Next(4) == 0 ? RawValues[random.Next(RawValues.Length)] : Values[random.Next(Values.Length)]?.ToJsonString() ?? "null";
            text.Append($",\"{Fields[random.Next(Fields.Length)]}\":{value}");
        }
        var bytes = Encoding.UTF8.GetBytes(text.Append('}').ToString());
        if (random.Next(10) == 0) bytes = bytes[..random.Next(bytes.Length)];
        if (random.Next(5) == 0)
            for (var flips = random.Next(1, 4); flips > 0 && bytes.Length > 0; flips--) bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
        return bytes;
    }

    public async Task DisposeAsync() => await server.DisposeAsync();
}
