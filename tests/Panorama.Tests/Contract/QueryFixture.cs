using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Panorama.Core.Goals;
using Panorama.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static Panorama.Tests.Support.EventBodies;

namespace Panorama.Tests.Contract;

/// <summary>
/// A server holding a small, hand-computed day of traffic (see the comments for each visitor), shared by the
/// query contract tests, which only read.
/// </summary>
public class QueryFixture : IAsyncLifetime
{
    public const string Domain = "contract.example";
    public static readonly DateTimeOffset Day = new(2026, 10, 10, 0, 0, 0, TimeSpan.Zero);
    public TestServer Server { get; private set; } = null!;
    public string Key { get; private set; } = "";

    /// <summary>A second site whose engagement event comes in the hour after its visit's last event.</summary>
    public const string LateDomain = "late.example";
    public string LateKey { get; private set; } = "";

    /// <summary>Saved segments, for <c>["is", "segment", [id]]</c> filters.</summary>
    public int RussiaSegment { get; private set; }
    public int MobileBlogSegment { get; private set; }

    public async Task InitializeAsync()
    {
        Server = await TestServer.StartAsync(await SettingsAsync());
        var site = Server.AddSite(Domain);
        Key = Server.CreateKey(site.Id);
        var goals = Server.Services.GetRequiredService<GoalService>();
        goals.Add(site.Id, "/blog/**", null, null);
        goals.Add(site.Id, null, "Signup", null);
        goals.Add(site.Id, null, "Purchase", "EUR");
        // Goals with custom properties: A's Signup carries plan=pro; nobody's carries plan=free.
        goals.Add(site.Id, null, "Signup", null, new Dictionary<string, string> { ["plan"] = "pro" }, "Pro signup");
        goals.Add(site.Id, null, "Signup", null, new Dictionary<string, string> { ["plan"] = "free" });
        // Scroll depth goals: B scrolled 80% of /blog/post-2 (its engagement event); nobody 90%.
        goals.Add(site.Id, "/blog/**", null, null, scrollThreshold: 75);
        goals.Add(site.Id, "/blog/**", null, null, scrollThreshold: 90);
        var views = Server.Services.GetRequiredService<SavedViews>();
        RussiaSegment = views.Save(site.Id, SavedViewKind.Segment, "Russia", "visit:country|is|RU").Id;
        MobileBlogSegment = views.Save(site.Id, SavedViewKind.Segment, "Mobile blog", "visit:device|is|Mobile\nevent:page|contains|/blog").Id;

        const string a = "77.88.55.88", b = "8.8.8.8", c = "2a02:6b8::2:242", d = "5.255.255.5", e = "203.0.113.9";
        JsonObject[] traffic =
        [
            // A, Chrome/Windows, RU: one visit from Google, 2 pageviews, Signup and Purchase (100.50 EUR), 240 s.
            Pageview(Domain, "/", Day.AddHours(10), a, UserAgents.ChromeWindows, "https://www.google.com/"),
            Pageview(Domain, "/blog/post-1", Day.AddHours(10).AddMinutes(2), a, UserAgents.ChromeWindows),
            Event("Signup", Domain, $"https://{Domain}/blog/post-1", Day.AddHours(10).AddMinutes(3), a, UserAgents.ChromeWindows, props: new JsonObject { ["plan"] = "pro" }),
            Event("Purchase", Domain, $"https://{Domain}/checkout", Day.AddHours(10).AddMinutes(4), a, UserAgents.ChromeWindows,
                revenue: new JsonObject { ["amount"] = "100.50", ["currency"] = "EUR" }),
            // B, iPhone, US: a bounce from the newsletter, with 30 s engagement and 80% scroll.
            Pageview(Domain, "/blog/post-2?utm_source=newsletter&utm_medium=email&utm_campaign=oct", Day.AddHours(11), b, UserAgents.SafariIphone),
            Extend(Event("engagement", Domain, $"https://{Domain}/blog/post-2", Day.AddHours(11).AddSeconds(30), b, UserAgents.SafariIphone),
                new JsonObject { ["sd"] = 80, ["e"] = 30_000 }),
            // C, Android, RU: a bounce from Yandex, then 40 minutes later a direct visit with a Purchase (50 EUR), 60 s.
            Pageview(Domain, "/pricing", Day.AddHours(12), c, UserAgents.ChromeAndroid, "https://yandex.ru/"),
            Pageview(Domain, "/", Day.AddHours(12).AddMinutes(40), c, UserAgents.ChromeAndroid),
            Event("Purchase", Domain, $"https://{Domain}/checkout", Day.AddHours(12).AddMinutes(41), c, UserAgents.ChromeAndroid,
                revenue: new JsonObject { ["amount"] = 50, ["currency"] = "EUR" }),
            // D, Firefox/Linux: a bounce from Telegram, with 10 s engagement and 40% scroll.
            Pageview(Domain, "/blog/post-1", Day.AddHours(13), d, UserAgents.FirefoxLinux, "https://t.me/channel"),
            Extend(Event("engagement", Domain, $"https://{Domain}/blog/post-1", Day.AddHours(13).AddSeconds(20), d, UserAgents.FirefoxLinux),
                new JsonObject { ["sd"] = 40, ["e"] = 10_000 }),
            // E: the day before, for comparisons.
            Pageview(Domain, "/", Day.AddHours(-15), e, UserAgents.ChromeWindows),
        ];
        // Another site, F (iPhone): /story read at 14:50 and hidden at 15:20, after the visit's last event and in the next hour;
        // at 15:25 (35 minutes on) a new visit opens /story again.
        LateKey = Server.CreateKey(Server.AddSite(LateDomain).Id);
        const string f = "198.51.100.7";
        JsonObject[] late =
        [
            Pageview(LateDomain, "/story", Day.AddHours(14).AddMinutes(50), f, UserAgents.SafariIphone, "https://www.google.com/"),
            Extend(Event("engagement", LateDomain, $"https://{LateDomain}/story", Day.AddHours(15).AddMinutes(20), f, UserAgents.SafariIphone),
                new JsonObject { ["sd"] = 60, ["e"] = 45_000 }),
            Pageview(LateDomain, "/story", Day.AddHours(15).AddMinutes(25), f, UserAgents.SafariIphone),
        ];
        foreach (var (body, key) in traffic.Select(t => (t, Key)).Concat(late.Select(t => (t, LateKey))))
        {
            using var response = await Server.PostEventAsync(body, key);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }
        await AfterTrafficAsync();
    }

    /// <summary>Runs once the traffic is posted: waits until the loader has stored every acknowledged event.</summary>
    protected virtual Task AfterTrafficAsync() =>
        Server.Services.GetRequiredService<Panorama.Core.Ingestion.EventBatchWriter>().WaitUntilStoredAsync(CancellationToken.None);

    static JsonObject Extend(JsonObject body, JsonObject extra)
    {
        foreach (var (name, value) in extra) body[name] = value?.DeepClone();
        return body;
    }

    /// <summary>Posts a query; returns status and parsed body.</summary>
    public async Task<(HttpStatusCode Status, JsonObject Body)> QueryAsync(string json, string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v2/query") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key ?? Key);
        using var response = await Server.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonNode.Parse(text)!.AsObject());
    }

    /// <summary>Settings of the server (the event store to run the contract against).</summary>
    protected virtual Task<string[]> SettingsAsync() => Task.FromResult(System.Array.Empty<string>());

    public virtual async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>The same traffic on ClickHouse: two real servers as two shards behind the Distributed table.</summary>
public class ClickHouseQueryFixture : QueryFixture
{
    readonly ClickHouseServers clickHouse = new();

    protected virtual int Shards => 2;

    protected override async Task<string[]> SettingsAsync()
    {
        await clickHouse.InitializeAsync();
        return ["--Panorama:Events:Provider=clickhouse", .. Enumerable.Range(0, Shards).Select(i => $"--Panorama:Events:ClickHouse:Shards:{i}={clickHouse.HttpUrl(i)}"),
            $"--Panorama:Events:ClickHouse:Database={ClickHouseServers.NewDatabase()}", "--Panorama:Events:ClickHouse:VisitBuildSeconds=0"];
    }

    /// <summary>
    /// Builds the visits of the hours up to 10:00 (visitor A's and the day before's), so every report reads built visits
    /// and visits cut at query time together, and the numbers must still be the embedded store's.
    /// </summary>
    protected override async Task AfterTrafficAsync()
    {
        await base.AfterTrafficAsync();
        var store = Server.Services.GetRequiredService<Panorama.Storage.ClickHouse.ClickHouseEventStore>();
        BuiltHours = await store.Visits.BuildAsync(Day.AddHours(12).AddMinutes(30).UtcDateTime, null, CancellationToken.None);
    }

    public int BuiltHours { get; private set; }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await clickHouse.DisposeAsync();
    }
}

/// <summary>The same traffic on one ClickHouse server (its own tables, no Distributed table).</summary>
public sealed class OneClickHouseServerQueryFixture : ClickHouseQueryFixture
{
    protected override int Shards => 1;
}
