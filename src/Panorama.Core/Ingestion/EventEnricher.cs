using Panorama.Core.Enrichment;
using Panorama.Core.Privacy;
using Panorama.Core.Sites;

namespace Panorama.Core.Ingestion;

/// <summary>
/// Derives the stored event from the received one. Pure: the same inputs (data lists, salts) give the
/// same output, so it is tested without a server.
/// </summary>
public sealed class EventEnricher(EnrichmentData data)
{
    public enum Outcome { Accepted, Bot, Spam }

    /// <param name="salts">Returns the salt of a UTC day.</param>
    public (Outcome Outcome, EnrichedEvent? Event) Enrich(IncomingEvent incoming, Site site, RequestContext request, Func<DateOnly, byte[]> salts)
    {
        if (data.Bots.IsBot(request.UserAgent)) return (Outcome.Bot, null);
        if (incoming.Referrer is not null && data.Sources.IsSpam(incoming.Referrer.Host)) return (Outcome.Spam, null);

        var timestamp = request.Timestamp.UtcDateTime;
        var day = DateOnly.FromDateTime(timestamp);
        var visitorId = (long)VisitorHasher.Hash(salts(day), site.Domain, request.ClientIp, request.UserAgent);
        // Only an event within the visit timeout (30 minutes) after midnight can continue yesterday's visit.
        var previousDayVisitorId = timestamp.TimeOfDay < TimeSpan.FromMinutes(30)
            ? (long)VisitorHasher.Hash(salts(day.AddDays(-1)), site.Domain, request.ClientIp, request.UserAgent)
            : visitorId;

        var agent = data.UserAgents.Parse(request.UserAgent);
        var location = data.Geo.Locate(request.ClientIp);
        var source = data.Sources.Classify(incoming.Url, incoming.Referrer);
        var isEngagement = incoming.Name == EnrichedEvent.Engagement;

        return (Outcome.Accepted, new EnrichedEvent
        {
            SiteId = site.Id,
            Timestamp = timestamp,
            VisitorId = visitorId,
            PreviousDayVisitorId = previousDayVisitorId,
            Name = incoming.Name,
            Pathname = Pathname(incoming.Url, incoming.HashMode),
            Hostname = Hostname(incoming.Url),
            Referrer = source.Referrer,
            Source = source.Source,
            Channel = source.Channel,
            UtmSource = source.UtmSource,
            UtmMedium = source.UtmMedium,
            UtmCampaign = source.UtmCampaign,
            UtmContent = source.UtmContent,
            UtmTerm = source.UtmTerm,
            Browser = agent.Browser,
            BrowserVersion = agent.BrowserVersion,
            OperatingSystem = agent.OperatingSystem,
            OperatingSystemVersion = agent.OperatingSystemVersion,
            Device = agent.Device,
            Screen = ScreenClass.FromWidth(incoming.ScreenWidth),
            Country = location.Country,
            Region = location.Region,
            City = location.City,
            PropKeys = incoming.Props.Select(p => p.Key).ToArray(),
            PropValues = incoming.Props.Select(p => p.Value).ToArray(),
            RevenueAmount = incoming.RevenueAmount,
            RevenueCurrency = incoming.RevenueCurrency,
            EngagementMilliseconds = isEngagement ? incoming.EngagementMilliseconds : null,
            ScrollDepth = isEngagement ? incoming.ScrollDepth : null,
            Interactive = !isEngagement && incoming.Name != EnrichedEvent.Pageview && incoming.Interactive,
        });
    }

    /// <summary>The decoded path; in hash mode the fragment is part of it (single-page apps that route by hash).</summary>
    public static string Pathname(Uri url, bool hashMode)
    {
        var path = Uri.UnescapeDataString(url.AbsolutePath);
        if (path.Length == 0) path = "/";
        if (hashMode && url.Fragment.Length > 1) path += Uri.UnescapeDataString(url.Fragment);
        return path.Length > EventLimits.MaxUrlLength ? path[..EventLimits.MaxUrlLength] : path;
    }

    static string Hostname(Uri url)
    {
        var host = url.Host.ToLowerInvariant();
        return host.StartsWith("www.", StringComparison.Ordinal) ? host[4..] : host;
    }
}
