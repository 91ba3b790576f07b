namespace Panorama.Core.Reports;

/// <summary>Top-line numbers of a site for a period. Definitions: README, "What the numbers mean".</summary>
public sealed record Summary(long Visitors, long Visits, long Pageviews, double ViewsPerVisit, double BounceRate, long VisitDuration, long Events);
