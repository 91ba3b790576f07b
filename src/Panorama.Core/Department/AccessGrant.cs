namespace Panorama.Core.Department;

/// <summary>
/// Who holds which access to which system (a site's CMS, an analytics system, an ad account…) and why. Panorama
/// records the fact and its review, never the secret.
/// </summary>
public sealed class AccessGrant
{
    public required string Person { get; init; }
    public required string System { get; init; }
    public string Level { get; init; } = "read";
    public string GrantedBy { get; init; } = "";
    public DateOnly GrantedOn { get; init; }
    public DateOnly? Expires { get; init; }

    /// <summary>The function that justifies the access.</summary>
    public string? Function { get; init; }

    public DateOnly? LastReview { get; init; }
    public string? Reviewer { get; init; }

    /// <summary>The same grant with another system name, or reviewed.</summary>
    public AccessGrant With(string? system = null, DateOnly? lastReview = null, string? reviewer = null) => new()
    {
        Person = Person, System = system ?? System, Level = Level, GrantedBy = GrantedBy, GrantedOn = GrantedOn, Expires = Expires, Function = Function,
        LastReview = lastReview ?? LastReview, Reviewer = reviewer ?? Reviewer,
    };

    /// <summary>Levels in increasing order; a higher level includes the lower ones. Other levels match only themselves.</summary>
    public static readonly string[] LevelOrder = ["read", "write", "admin", "owner"];

    public static bool Covers(string held, string needed)
    {
        var heldRank = Array.IndexOf(LevelOrder, held.ToLowerInvariant());
        var neededRank = Array.IndexOf(LevelOrder, needed.ToLowerInvariant());
        return heldRank >= 0 && neededRank >= 0 ? heldRank >= neededRank : string.Equals(held, needed, StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>A delegation of a function's authority from one person to another for a while (P4).</summary>
public sealed class Delegation
{
    public required string From { get; init; }
    public required string To { get; init; }
    public required string Function { get; init; }
    public DateOnly Start { get; init; }
    public DateOnly Until { get; init; }
    public string Reason { get; init; } = "";

    public bool ActiveOn(DateOnly day) => Start <= day && day <= Until;
}
