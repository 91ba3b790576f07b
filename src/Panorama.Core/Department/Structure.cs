namespace Panorama.Core.Department;

/// <summary>A unit of the department; an independent subdivision has its own budget and authority (P6).</summary>
public sealed class Unit
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public string? Parent { get; init; }
    public bool Independent { get; init; }
    public decimal? MonthlyBudget { get; init; }

    /// <summary>What the unit decides on its own, for independent subdivisions.</summary>
    public string? Authority { get; init; }

    /// <summary>The person who heads the unit: with an account, they change what lies inside it (<see cref="UnitScope"/>).</summary>
    public string? Head { get; init; }
}

public sealed class Person
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public string Position { get; init; } = "";
    public string? Unit { get; init; }
    public decimal HoursPerWeek { get; init; }
    public decimal MonthlyCost { get; init; }

    /// <summary>Target share of contracted hours spent learning (P4), e.g. 0.1.</summary>
    public decimal LearningShare { get; init; }

    /// <summary>Learning hours booked per week.</summary>
    public decimal LearningHoursPerWeek { get; init; }

    /// <summary>Largest amount the person may decide or approve alone.</summary>
    public decimal AuthorityLimit { get; init; }

    public DateOnly? LeftOn { get; init; }
    public List<Absence> Absences { get; init; } = [];

    /// <summary>The email of the person's Panorama account, which links department authority to sign-ins.</summary>
    public string? Account { get; init; }

    public bool HasLeft(DateOnly day) => LeftOn is { } left && left <= day;
    public bool IsAbsent(DateOnly day) => Absences.Any(a => a.From <= day && day <= a.To);
}

public sealed record Absence(DateOnly From, DateOnly To, string Reason = "");

public enum Criticality { Normal, Critical, Unique }

public enum Proficiency { Learning, Trained, Expert }

/// <summary>What the department does (P3): one accountable holder, trained backups, the hours it takes, the accesses it needs.</summary>
public sealed class Function
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public string? Unit { get; init; }

    /// <summary>Accountable holders: exactly one is right; the health report flags none or several.</summary>
    public List<string> Accountable { get; init; } = [];

    public List<Backup> Backups { get; init; } = [];
    public decimal WeeklyHours { get; init; }
    public Criticality Criticality { get; init; }

    /// <summary>Ids of the objectives the function serves.</summary>
    public List<string> Objectives { get; init; } = [];

    public string Authority { get; init; } = "";

    /// <summary>The amount up to which the function's holder decides or approves.</summary>
    public decimal AuthorityAmount { get; init; }

    public List<RequiredAccess> Needs { get; init; } = [];

    /// <summary>Marketing channels the function works on (analytics names, e.g. Paid Search), for fully-loaded costs per channel.</summary>
    public List<string> Channels { get; init; } = [];
}

public sealed record Backup(string Person, Proficiency Proficiency);

public sealed record RequiredAccess(string System, string Level);
