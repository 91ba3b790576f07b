namespace Panorama.Core.Ingestion;

/// <summary>Plausible's limits on what one event may carry.</summary>
public static class EventLimits
{
    public const int MaxBodyBytes = 64 * 1024;
    public const int MaxNameLength = 120;
    public const int MaxUrlLength = 2000;
    public const int MaxReferrerLength = 2000;
    public const int MaxProps = 30;
    public const int MaxPropKeyLength = 300;
    public const int MaxPropValueLength = 2000;
    public const int MaxDomains = 10;
    public const int MaxUserAgentLength = 1000;
    public static readonly TimeSpan MaxFutureSkew = TimeSpan.FromMinutes(5);
}
