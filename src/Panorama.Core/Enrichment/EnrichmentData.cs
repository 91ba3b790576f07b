namespace Panorama.Core.Enrichment;

/// <summary>The maintained lists enrichment reads, loaded once from a folder. Any missing file means "unknown".</summary>
public sealed class EnrichmentData(UserAgentParser userAgents, BotDetector bots, SourceClassifier sources, GeoLocator geo) : IDisposable
{
    public UserAgentParser UserAgents { get; } = userAgents;
    public BotDetector Bots { get; } = bots;
    public SourceClassifier Sources { get; } = sources;
    public GeoLocator Geo { get; } = geo;

    /// <param name="folder">Holds regexes.yaml, crawler-user-agents.json, referrers.json, referrer-spam.txt, country.mmdb.</param>
    /// <param name="cityDatabases">
    /// Optional city-level MMDB files, comma-separated (ip-location-db publishes IPv4 and IPv6 apart), asked before the
    /// country database, which still answers the addresses they do not cover.
    /// </param>
    public static EnrichmentData Load(string folder, string? cityDatabases = null) => new(
        UserAgentParser.Load(Path.Combine(folder, "regexes.yaml")),
        BotDetector.Load(Path.Combine(folder, "crawler-user-agents.json")),
        SourceClassifier.Load(Path.Combine(folder, "referrers.json"), Path.Combine(folder, "referrer-spam.txt")),
        GeoLocator.Load([.. CityDatabasePaths(cityDatabases), Path.Combine(folder, "country.mmdb")]));

    /// <summary>The paths in the city database setting.</summary>
    public static string[] CityDatabasePaths(string? setting) =>
        (setting ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public void Dispose() => Geo.Dispose();
}
