namespace Panorama.Core.Department;

/// <summary>One saved version of the department model: the audit log is the list of these (who, when, and the whole before and after).</summary>
public sealed class DepartmentRevision
{
    public int Id { get; set; }

    /// <summary>The model as canonical YAML (what <see cref="DepartmentDocument.Write"/> gives).</summary>
    public required string Document { get; set; }

    public DateTimeOffset SavedAt { get; set; }

    /// <summary>Who saved it: an account's email, "cli", or "demo".</summary>
    public required string SavedBy { get; set; }

    public string Note { get; set; } = "";
}

/// <summary>What one revision changed in one entity: its text before and after (null when added or removed).</summary>
public sealed record DepartmentChange(string Kind, string Id, string? Before, string? After)
{
    /// <summary>The entity itself before and after, for checks on what it belongs to (<see cref="UnitScope"/>).</summary>
    public object? Was { get; init; }

    public object? Is { get; init; }
}
