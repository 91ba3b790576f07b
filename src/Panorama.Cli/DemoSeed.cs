using Microsoft.Extensions.DependencyInjection;
using Panorama.Cli.Demo;
using Panorama.Core.Access;
using Panorama.Core.Enrichment;
using Panorama.Core.Ingestion;
using Panorama.Core.Privacy;
using Panorama.Core.Sites;
using Panorama.Storage.DuckDb;

namespace Panorama.Cli;

/// <summary>Fills a fresh data folder with the demo site and its traffic, and issues an API key for it.</summary>
static class DemoSeed
{
    public const int Days = 7;

    public sealed record Result(string Domain, long EventCount, string ApiKey);

    public static async Task<Result> RunAsync(IServiceProvider services)
    {
        var site = services.GetRequiredService<SiteDirectory>().Add(DemoTraffic.Domain, "Europe/Moscow");
        var store = services.GetRequiredService<DuckDbEventStore>();
        if (store.CountEvents(site.Id) == 0)
        {
            var enricher = services.GetRequiredService<EventEnricher>();
            var salts = services.GetRequiredService<SaltStore>();
            var geo = services.GetRequiredService<EnrichmentData>().Geo;
            var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
            var batch = new List<EnrichedEvent>();
            foreach (var (incoming, request) in new DemoTraffic(geo).Generate(now.Date.AddDays(-(Days - 1)), now, visitorsPerDay: 450))
            {
                var (outcome, enriched) = enricher.Enrich(incoming, site, request, salts.ForDay);
                if (outcome == EventEnricher.Outcome.Accepted) batch.Add(enriched!);
            }
            // Stored in time order and numbered, as the ingestion pipeline would; it continues after the last number.
            var ordered = batch.OrderBy(e => e.Timestamp).ToList();
            var sequence = await store.MaxSequenceAsync(CancellationToken.None);
            foreach (var enriched in ordered) enriched.Sequence = ++sequence;
            foreach (var chunk in ordered.Chunk(50_000))
                await store.AppendAsync(chunk, CancellationToken.None);
        }
        var (_, secret) = services.GetRequiredService<ApiKeyService>().Create($"demo {DateTime.UtcNow:yyyy-MM-dd HH:mm}", [site.Id]);
        return new Result(site.Domain, store.CountEvents(site.Id), secret);
    }
}
