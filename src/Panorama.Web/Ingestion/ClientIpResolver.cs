using System.Net;
using Microsoft.Extensions.Options;

namespace Panorama.Web.Ingestion;

/// <summary>
/// The visitor's address: the socket peer, or the nearest untrusted address in X-Forwarded-For when the
/// peer is a configured trusted proxy. Used for hashing and geolocation only; never stored.
/// </summary>
public sealed class ClientIpResolver
{
    readonly IPNetwork[] trusted;

    public ClientIpResolver(IOptions<PanoramaOptions> options) =>
        trusted = options.Value.Ingestion.TrustedProxies.Select(Parse).ToArray();

    static IPNetwork Parse(string text)
    {
        if (IPNetwork.TryParse(text, out var network)) return network;
        var address = IPAddress.Parse(text);
        return new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
    }

    public string Resolve(HttpContext http)
    {
        var peer = http.Connection.RemoteIpAddress;
        if (peer is null) return "";
        if (peer.IsIPv4MappedToIPv6) peer = peer.MapToIPv4();
        if (trusted.Length == 0 || !IsTrusted(peer)) return peer.ToString();
        var forwarded = http.Request.Headers["X-Forwarded-For"].ToString();
        if (forwarded.Length == 0) return peer.ToString();
        // Walk from the nearest hop outwards; the first address not ours is the client.
        var hops = forwarded.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        for (var i = hops.Length - 1; i >= 0; i--)
        {
            if (!IPAddress.TryParse(hops[i], out var hop)) return peer.ToString();
            if (hop.IsIPv4MappedToIPv6) hop = hop.MapToIPv4();
            if (i == 0 || !IsTrusted(hop)) return hop.ToString();
        }
        return peer.ToString();
    }

    bool IsTrusted(IPAddress address)
    {
        foreach (var network in trusted)
            if (network.Contains(address)) return true;
        return false;
    }
}
