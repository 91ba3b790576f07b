namespace Panorama.Core.Reports.Query;

public enum ComparisonMode { PreviousPeriod, YearOverYear }
