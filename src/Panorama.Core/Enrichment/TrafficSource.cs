namespace Panorama.Core.Enrichment;

/// <summary>Where a visit came from: the named source, the referrer (host and path), the channel and the UTM tags.</summary>
public sealed record TrafficSource(
    string Source,
    string Referrer,
    string Channel,
    string UtmSource,
    string UtmMedium,
    string UtmCampaign,
    string UtmContent,
    string UtmTerm)
{
    public const string DirectSource = "Direct / None";
}
