namespace Panorama.Core.Reports.Query;

/// <summary>One result row from a store: dimension values as text, and every computed metric by name.</summary>
public sealed record QueryRow(IReadOnlyList<string> Dimensions, IReadOnlyDictionary<Metric, object?> Metrics);
