namespace Panorama.Core.Enrichment;

/// <summary>What a User-Agent says about the visitor's software and hardware.</summary>
public sealed record UserAgentInfo(string Browser, string BrowserVersion, string OperatingSystem, string OperatingSystemVersion, string Device)
{
    public const string Unknown = "(unknown)";
    public static readonly UserAgentInfo Empty = new(Unknown, "", Unknown, "", Unknown);
}
