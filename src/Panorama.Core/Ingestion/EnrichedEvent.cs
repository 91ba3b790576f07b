namespace Panorama.Core.Ingestion;

/// <summary>
/// One stored event: everything derived at ingestion and nothing raw (no IP address, no full User-Agent,
/// no query string beyond the UTM tags).
/// </summary>
public sealed class EnrichedEvent
{
    public const string Pageview = "pageview";
    public const string Engagement = "engagement";

    /// <summary>Position in the ingestion order, assigned when the event is spooled; replay skips what the store already has.</summary>
    public long Sequence { get; set; }
    public int SiteId { get; init; }
    /// <summary>UTC, microsecond precision.</summary>
    public DateTime Timestamp { get; init; }
    public long VisitorId { get; init; }
    /// <summary>
    /// The same person's id under the previous day's salt, in the first half hour after midnight UTC (the event's own id
    /// otherwise): the store decides from it which visit going on across midnight the event continues.
    /// </summary>
    public long PreviousDayVisitorId { get; init; }
    public required string Name { get; init; }
    public required string Pathname { get; init; }
    public required string Hostname { get; init; }
    public string Referrer { get; init; } = "";
    public string Source { get; init; } = "";
    public string Channel { get; init; } = "";
    public string UtmSource { get; init; } = "";
    public string UtmMedium { get; init; } = "";
    public string UtmCampaign { get; init; } = "";
    public string UtmContent { get; init; } = "";
    public string UtmTerm { get; init; } = "";
    public string Browser { get; init; } = "";
    public string BrowserVersion { get; init; } = "";
    public string OperatingSystem { get; init; } = "";
    public string OperatingSystemVersion { get; init; } = "";
    public string Device { get; init; } = "";
    public string Screen { get; init; } = "";
    public string Country { get; init; } = "";
    public string Region { get; init; } = "";
    public string City { get; init; } = "";
    public string[] PropKeys { get; init; } = [];
    public string[] PropValues { get; init; } = [];
    public decimal? RevenueAmount { get; init; }
    public string RevenueCurrency { get; init; } = "";
    public int? EngagementMilliseconds { get; init; }
    public int? ScrollDepth { get; init; }
    /// <summary>False for engagement events and custom events sent with <c>i: false</c>: they do not end a bounce.</summary>
    public bool Interactive { get; init; }
}
