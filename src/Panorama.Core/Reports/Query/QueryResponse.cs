namespace Panorama.Core.Reports.Query;

/// <summary>One result row as the API returns it: metric values in the requested order, dimension values, and the comparison.</summary>
public sealed record ResultRow(IReadOnlyList<object?> Metrics, IReadOnlyList<string> Dimensions, ComparisonRow? Comparison);

public sealed record ComparisonRow(IReadOnlyList<string> Dimensions, IReadOnlyList<object?> Metrics, IReadOnlyList<double?> Change);

public sealed record QueryResponse(
    StatsQuery Query,
    IReadOnlyList<ResultRow> Results,
    long? TotalRows,
    IReadOnlyList<string>? TimeLabels,
    DateRange? ComparisonRange);
