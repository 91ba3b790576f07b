namespace Panorama.Core.Ingestion;

/// <summary>An event as received and validated, before anything is derived from it.</summary>
public sealed class IncomingEvent
{
    public required IReadOnlyList<string> Domains { get; init; }
    public required string Name { get; init; }
    public required Uri Url { get; init; }
    public Uri? Referrer { get; init; }
    public bool HashMode { get; init; }
    public bool Interactive { get; init; } = true;
    public int? ScreenWidth { get; init; }
    public IReadOnlyList<KeyValuePair<string, string>> Props { get; init; } = [];
    public decimal? RevenueAmount { get; init; }
    public string RevenueCurrency { get; init; } = "";
    public int? ScrollDepth { get; init; }
    public int? EngagementMilliseconds { get; init; }

    /// <summary>Server-side overrides; honoured only for requests authorised by an API key.</summary>
    public DateTimeOffset? TimestampOverride { get; init; }
    public string? IpOverride { get; init; }
    public string? UserAgentOverride { get; init; }

    public bool HasOverrides => TimestampOverride is not null || IpOverride is not null || UserAgentOverride is not null;
}
