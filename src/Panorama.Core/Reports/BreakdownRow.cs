namespace Panorama.Core.Reports;

/// <summary>One value of a breakdown. Metrics that do not apply to the dimension are null.</summary>
public sealed record BreakdownRow(string Value, long Visitors, long? Visits, long? Pageviews, double? BounceRate, long? VisitDuration, long? Events = null);
