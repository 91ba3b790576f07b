using System.Net;
using System.Text.RegularExpressions;

namespace Panorama.Tests.Support;

/// <summary>A browser-like HTTP client: keeps cookies, follows no redirects, fills forms with their antiforgery token.</summary>
public sealed partial class WebSession : IDisposable
{
    readonly HttpClient http;
    public CookieContainer Cookies { get; } = new();

    public WebSession(string baseUrl)
    {
        http = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false }) { BaseAddress = new Uri(baseUrl) };
    }

    public static async Task<WebSession> SignInAsync(TestServer server, string email, string password = TestServer.Password)
    {
        var session = new WebSession(server.BaseUrl);
        var response = await session.PostFormAsync("/login", "/login", new() { ["Email"] = email, ["Password"] = password });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return session;
    }

    public Task<HttpResponseMessage> GetAsync(string path) => http.GetAsync(path);

    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request) => http.SendAsync(request);

    /// <summary>Loads <paramref name="formPage"/> for its antiforgery token, then posts the fields to <paramref name="action"/>.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string formPage, string action, Dictionary<string, string> fields)
    {
        var html = await (await http.GetAsync(formPage)).Content.ReadAsStringAsync();
        var token = TokenPattern().Match(html);
        if (token.Success) fields["__RequestVerificationToken"] = token.Groups[1].Value;
        return await http.PostAsync(action, new FormUrlEncodedContent(fields));
    }

    public void Dispose() => http.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
