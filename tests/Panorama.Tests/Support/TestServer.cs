using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Identity;
using Panorama.Core.Accounts;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Panorama.Core.Access;
using Panorama.Core.Sites;
using Panorama.Web;

namespace Panorama.Tests.Support;

/// <summary>A real Panorama server (Kestrel on a free loopback port, real DuckDB and SQLite) in its own data folder.</summary>
public sealed class TestServer : IAsyncDisposable
{
    readonly TempDirectory data = new();
    WebApplication app = null!;

    public string BaseUrl { get; private set; } = "";
    public HttpClient Http { get; private set; } = null!;
    public IServiceProvider Services => app.Services;
    public string DataDirectory => data.Path;

    public static async Task<TestServer> StartAsync(params string[] settings)
    {
        var server = new TestServer();
        var args = new List<string> { "--urls=http://127.0.0.1:0", $"--Panorama:DataDirectory={server.data.Path}" };
        args.AddRange(settings);
        // test.sh's second pass runs the suites that use the relational store again, on PostgreSQL (a database per server).
        // Each database has its own connection pool; idle connections of servers already disposed close within seconds,
        // not Npgsql's default 5 minutes, which had the pass run into the server's connection limit.
        if (Environment.GetEnvironmentVariable("PANORAMA_TEST_PG_PORT") is { } port && !settings.Any(a => a.Contains("Database:Provider", StringComparison.Ordinal)))
            args.AddRange(["--Panorama:Database:Provider=postgres", $"--Panorama:Database:ConnectionString=Host=127.0.0.1;Port={port};Username=panorama;Database=x{Guid.NewGuid():N};Connection Idle Lifetime=10;Connection Pruning Interval=5"]);
        server.app = PanoramaServer.Build(args.ToArray());
        await server.app.StartAsync();
        server.BaseUrl = server.app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Http = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        return server;
    }

    /// <summary>Settings for servers started one after another on the same data folder, and on PostgreSQL the same database.</summary>
    public static string[] SharedStorage(string folder) =>
        Environment.GetEnvironmentVariable("PANORAMA_TEST_PG_PORT") is { } port
            ? [$"--Panorama:DataDirectory={folder}", "--Panorama:Database:Provider=postgres",
                $"--Panorama:Database:ConnectionString=Host=127.0.0.1;Port={port};Username=panorama;Database=x{Guid.NewGuid():N};Connection Idle Lifetime=10;Connection Pruning Interval=5"]
            : [$"--Panorama:DataDirectory={folder}"];

    public Site AddSite(string domain, string timeZone = "UTC") => Services.GetRequiredService<SiteDirectory>().Add(domain, timeZone);

    public string CreateKey(params int[] siteIds) => Services.GetRequiredService<ApiKeyService>().Create("test", siteIds).Secret;

    public const string Password = "correct horse battery";

    /// <summary>Creates an account (the owner, or a person with the given roles on sites) and returns its id.</summary>
    public async Task<string> CreateUserAsync(string email, bool owner = false, params (int SiteId, SiteRole Role)[] roles)
    {
        using var scope = Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PanoramaUser>>();
        var user = new PanoramaUser { UserName = email, Email = email, IsOwner = owner, EmailConfirmed = true };
        var result = await users.CreateAsync(user, Password);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Select(e => e.Description)));
        foreach (var (siteId, role) in roles) Services.GetRequiredService<SiteAccess>().Grant(user.Id, siteId, role);
        return user.Id;
    }

    /// <summary>Posts a body to an ingestion endpoint, optionally with an API key and a User-Agent.</summary>
    public Task<HttpResponseMessage> PostAsync(string path, string body, string? apiKey = null, string? userAgent = null, string? forwardedFor = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "text/plain") };
        if (apiKey is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        if (userAgent is not null) request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        if (forwardedFor is not null) request.Headers.TryAddWithoutValidation("X-Forwarded-For", forwardedFor);
        return Http.SendAsync(request);
    }

    public Task<HttpResponseMessage> PostEventAsync(JsonObject body, string? apiKey = null, string? userAgent = null) =>
        PostAsync("/api/event", body.ToJsonString(), apiKey, userAgent);

    public async Task<JsonObject> GetJsonAsync(string path, string apiKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path} answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>Sends a request with an API key, whatever it answers: the status and the JSON body (empty when there is none).</summary>
    public async Task<(System.Net.HttpStatusCode Status, JsonObject Body)> SendAsync(HttpMethod method, string path, string apiKey, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? [] : JsonNode.Parse(text)!.AsObject());
    }

    public async ValueTask DisposeAsync()
    {
        Http?.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
        data.Dispose();
    }
}
