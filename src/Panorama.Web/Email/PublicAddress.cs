using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Panorama.Web.Email;

/// <summary>Where people open this server, for links in messages sent outside a request: <c>Panorama:PublicUrl</c>, else the address it listens on.</summary>
public sealed class PublicAddress(IOptions<PanoramaOptions> options, IServer server)
{
    /// <summary>For links handed out in a request (embed code, the Sites API): <c>Panorama:PublicUrl</c>, else the address the request came to.</summary>
    public string Of(HttpRequest request) =>
        string.IsNullOrWhiteSpace(options.Value.PublicUrl) ? $"{request.Scheme}://{request.Host}" : options.Value.PublicUrl.TrimEnd('/');

    public string Url
    {
        get
        {
            if (!string.IsNullOrWhiteSpace(options.Value.PublicUrl)) return options.Value.PublicUrl.TrimEnd('/');
            var listening = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? PanoramaServer.DefaultUrl;
            return listening.Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal).Replace("://[::]", "://localhost", StringComparison.Ordinal)
                .Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal).TrimEnd('/');
        }
    }
}
