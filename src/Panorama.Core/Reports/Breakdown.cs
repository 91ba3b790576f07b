namespace Panorama.Core.Reports;

/// <summary>The dimensions the first reports break down by, named as in Plausible's API.</summary>
public enum Breakdown
{
    Page,
    EventName,
    EntryPage,
    ExitPage,
    Source,
    Channel,
    Referrer,
    UtmSource,
    UtmMedium,
    UtmCampaign,
    Country,
    Browser,
    OperatingSystem,
    Device,
}

public static class BreakdownNames
{
    static readonly Dictionary<string, Breakdown> ByName = new(StringComparer.Ordinal)
    {
        ["event:page"] = Breakdown.Page,
        ["event:name"] = Breakdown.EventName,
        ["visit:entry_page"] = Breakdown.EntryPage,
        ["visit:exit_page"] = Breakdown.ExitPage,
        ["visit:source"] = Breakdown.Source,
        ["visit:channel"] = Breakdown.Channel,
        ["visit:referrer"] = Breakdown.Referrer,
        ["visit:utm_source"] = Breakdown.UtmSource,
        ["visit:utm_medium"] = Breakdown.UtmMedium,
        ["visit:utm_campaign"] = Breakdown.UtmCampaign,
        ["visit:country"] = Breakdown.Country,
        ["visit:browser"] = Breakdown.Browser,
        ["visit:os"] = Breakdown.OperatingSystem,
        ["visit:device"] = Breakdown.Device,
    };

    public static IEnumerable<string> Names => ByName.Keys;

    public static bool TryParse(string? name, out Breakdown breakdown) => ByName.TryGetValue(name ?? "", out breakdown);
}
