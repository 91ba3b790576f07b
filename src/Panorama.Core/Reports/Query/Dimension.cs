namespace Panorama.Core.Reports.Query;

public enum DimensionKind { Event, Visit, Goal, Property, Time }

public enum TimeGrain { Minute, Hour, Day, Week, Month }

/// <summary>
/// A dimension of the query API. <see cref="Column"/> is the store's column for it, taken from the fixed
/// catalogue below and never from input.
/// </summary>
public sealed record Dimension(string Name, DimensionKind Kind, string Column, string? PropertyKey = null, TimeGrain? Grain = null)
{
    static readonly Dictionary<string, Dimension> Catalogue = new[]
    {
        new Dimension("event:page", DimensionKind.Event, "pathname"),
        new Dimension("event:hostname", DimensionKind.Event, "hostname"),
        new Dimension("event:name", DimensionKind.Event, "name"),
        new Dimension("event:goal", DimensionKind.Goal, "goal"),
        new Dimension("visit:entry_page", DimensionKind.Visit, "v_entry_page"),
        new Dimension("visit:exit_page", DimensionKind.Visit, "v_exit_page"),
        new Dimension("visit:source", DimensionKind.Visit, "v_source"),
        new Dimension("visit:channel", DimensionKind.Visit, "v_channel"),
        new Dimension("visit:referrer", DimensionKind.Visit, "v_referrer"),
        new Dimension("visit:utm_source", DimensionKind.Visit, "v_utm_source"),
        new Dimension("visit:utm_medium", DimensionKind.Visit, "v_utm_medium"),
        new Dimension("visit:utm_campaign", DimensionKind.Visit, "v_utm_campaign"),
        new Dimension("visit:utm_content", DimensionKind.Visit, "v_utm_content"),
        new Dimension("visit:utm_term", DimensionKind.Visit, "v_utm_term"),
        new Dimension("visit:device", DimensionKind.Visit, "v_device"),
        new Dimension("visit:browser", DimensionKind.Visit, "v_browser"),
        new Dimension("visit:browser_version", DimensionKind.Visit, "v_browser_version"),
        new Dimension("visit:os", DimensionKind.Visit, "v_os"),
        new Dimension("visit:os_version", DimensionKind.Visit, "v_os_version"),
        new Dimension("visit:country", DimensionKind.Visit, "v_country"),
        new Dimension("visit:country_name", DimensionKind.Visit, "v_country"),
        new Dimension("visit:region", DimensionKind.Visit, "v_region"),
        new Dimension("visit:city", DimensionKind.Visit, "v_city"),
        // Plausible's region and city are codes with a *_name twin; Panorama's are already names, so the twins are the same column.
        new Dimension("visit:region_name", DimensionKind.Visit, "v_region"),
        new Dimension("visit:city_name", DimensionKind.Visit, "v_city"),
        new Dimension("visit:screen", DimensionKind.Visit, "v_screen"),
        new Dimension("time", DimensionKind.Time, "ts", Grain: null),
        new Dimension("time:minute", DimensionKind.Time, "ts", Grain: TimeGrain.Minute),
        new Dimension("time:hour", DimensionKind.Time, "ts", Grain: TimeGrain.Hour),
        new Dimension("time:day", DimensionKind.Time, "ts", Grain: TimeGrain.Day),
        new Dimension("time:week", DimensionKind.Time, "ts", Grain: TimeGrain.Week),
        new Dimension("time:month", DimensionKind.Time, "ts", Grain: TimeGrain.Month),
    }.ToDictionary(d => d.Name, StringComparer.Ordinal);

    public const string PropertyPrefix = "event:props:";

    public static IEnumerable<string> Names => Catalogue.Keys.Append(PropertyPrefix + "<name>");

    public static Dimension? Find(string? name)
    {
        if (name is null) return null;
        if (Catalogue.TryGetValue(name, out var dimension)) return dimension;
        if (name.StartsWith(PropertyPrefix, StringComparison.Ordinal) && name.Length > PropertyPrefix.Length && name.Length <= PropertyPrefix.Length + 300)
            return new Dimension(name, DimensionKind.Property, "prop", PropertyKey: name[PropertyPrefix.Length..]);
        return null;
    }

    public bool IsCountryName => Name == "visit:country_name";
}
