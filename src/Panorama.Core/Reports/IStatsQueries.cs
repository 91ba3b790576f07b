namespace Panorama.Core.Reports;

/// <summary>The report queries an event store answers. Each store computes visits the same way (README).</summary>
public interface IStatsQueries
{
    Task<Summary> SummaryAsync(int siteId, DateRange range, CancellationToken cancellationToken);

    Task<IReadOnlyList<BreakdownRow>> BreakdownAsync(int siteId, DateRange range, Breakdown breakdown, int limit, CancellationToken cancellationToken);
}
