namespace Panorama.Core.Department;

public enum Severity { Low, Medium, High }

/// <summary>One problem the structure health report found, with who and what it involves and the money at stake per month.</summary>
public sealed record Finding(
    int Rule,
    string Code,
    Severity Severity,
    string Message,
    IReadOnlyList<string> People,
    IReadOnlyList<string> Functions,
    IReadOnlyList<string> Units,
    decimal? MoneyPerMonth = null,
    string? System = null);
