namespace Panorama.Core.Enrichment;

/// <summary>The maintained lists enrichment reads, loaded once from a folder. Any missing file means "unknown".</summary>
public sealed class EnrichmentData(UserAgentParser userAgents, BotDetector bots, SourceClassifier sources, GeoLocator geo) : IDisposable
{
    public UserAgentParser UserAgents { get; } = userAgents;
    public BotDetector Bots { get; } = bots;
    public SourceClassifier Sources { get; } = sources;
    public GeoLocator Geo { get; } = geo;

    /// <param name="folder">Holds regexes.yaml, crawler-user-agents.json, referrers.json, referrer-spam.txt, country.mmdb.</param>
    /// <param name="cityDatabase">Optional city-level MMDB used instead of the country database.</param>
    public static EnrichmentData Load(string folder, string? cityDatabase = null) => new(
        UserAgentParser.Load(Path.Combine(folder, "regexes.yaml")),
        BotDetector.Load(Path.Combine(folder, "crawler-user-agents.json")),
        SourceClassifier.Load(Path.Combine(folder, "referrers.json"), Path.Combine(folder, "referrer-spam.txt")),
        GeoLocator.Load(string.IsNullOrEmpty(cityDatabase) ? Path.Combine(folder, "country.mmdb") : cityDatabase));

    public void Dispose() => Geo.Dispose();
}
