using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Panorama.Tests.Browser;

/// <summary>A customer's web site: a few static pages carrying the tracking snippet, served on its own port.</summary>
public sealed class ShopSite : IAsyncDisposable
{
    readonly WebApplication app;
    public int Port { get; }

    ShopSite(WebApplication app, int port)
    {
        this.app = app;
        Port = port;
    }

    /// <param name="embed">HTML for <c>/stats</c>: the code that embeds a shared dashboard.</param>
    public static async Task<ShopSite> StartAsync(string domain, string trackerUrl, string extraAttributes = "", string? embed = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var snippet = $"""<script defer data-domain="{domain}" src="{trackerUrl}" {extraAttributes}></script>""";
        string Page(string title, string body) =>
            $"<!doctype html><html><head><meta charset=utf-8><title>{title}</title>{snippet}</head><body style='min-height:3000px'><h1>{title}</h1>{body}</body></html>";
        app.MapGet("/", () => Results.Content(Page("Home", """
            <a id="about" href="/about">About</a>
            <a id="outbound" href="https://example.org/partner" onclick="event.preventDefault()">Partner</a>
            <a id="download" href="/files/price-list.pdf" onclick="event.preventDefault()">Price list</a>
            """), "text/html"));
        app.MapGet("/about", () => Results.Content(Page("About", """
            <button id="spa" onclick="history.pushState({}, '', '/app/step-2')">Next step</button>
            """), "text/html"));
        app.MapGet("/missing", () => Results.Content(Page("Not found", "<script>addEventListener('load', () => panorama.notFound())</script>"), "text/html"));
        if (embed is not null)
            app.MapGet("/stats", () => Results.Content(Page("Our stats", embed), "text/html"));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ShopSite(app, new Uri(address).Port);
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
