using Panorama.Core.Enrichment;

namespace Panorama.Tests.Support;

/// <summary>The real enrichment lists, as the build fetched them, loaded once for all tests.</summary>
public static class Enrichment
{
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "EnrichmentData");

    static readonly Lazy<EnrichmentData> Loaded = new(() => EnrichmentData.Load(Folder));

    public static EnrichmentData Data => Loaded.Value;
}
