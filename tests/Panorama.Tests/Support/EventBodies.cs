using System.Text.Json.Nodes;

namespace Panorama.Tests.Support;

/// <summary>Plausible-shaped event bodies with the server-side overrides a backfill uses.</summary>
public static class EventBodies
{
    public static JsonObject Event(string name, string domain, string url, DateTimeOffset at, string ip, string userAgent,
        string? referrer = null, JsonObject? props = null, JsonObject? revenue = null, bool? interactive = null)
    {
        var body = new JsonObject
        {
            ["n"] = name,
            ["d"] = domain,
            ["u"] = url,
            ["timestamp"] = at.ToString("O"),
            ["ip"] = ip,
            ["userAgent"] = userAgent,
        };
        if (referrer is not null) body["r"] = referrer;
        if (props is not null) body["p"] = props;
        if (revenue is not null) body["$"] = revenue;
        if (interactive is not null) body["i"] = interactive.Value;
        return body;
    }

    public static JsonObject Pageview(string domain, string path, DateTimeOffset at, string ip, string userAgent = UserAgents.ChromeWindows, string? referrer = null) =>
        Event("pageview", domain, $"https://{domain}{path}", at, ip, userAgent, referrer);
}
