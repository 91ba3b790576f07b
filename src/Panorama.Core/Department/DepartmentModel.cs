namespace Panorama.Core.Department;

/// <summary>
/// The internet-marketing department as one document: strategy, structure, accesses and delegations. It is small
/// (tens of people and functions), edited as a whole and saved as a new revision, so every change is atomic and
/// the audit log is the list of revisions.
/// </summary>
public sealed class DepartmentModel
{
    public DepartmentSettings Settings { get; init; } = new();

    /// <summary>When the structure was last reviewed against the strategy (P5: the structure follows the strategy).</summary>
    public DateOnly? StructureReviewedOn { get; init; }

    public List<Strategy> Strategies { get; init; } = [];
    public List<Unit> Units { get; init; } = [];
    public List<Person> People { get; init; } = [];
    public List<Function> Functions { get; init; } = [];
    public List<AccessGrant> Accesses { get; init; } = [];
    public List<Delegation> Delegations { get; init; } = [];
    public List<Budget> Budgets { get; init; } = [];

    /// <summary>Exchange rates for spend in other currencies, per period, as the finance team sets them.</summary>
    public List<Spend.ExchangeRate> ExchangeRates { get; init; } = [];

    /// <summary>
    /// Whether the account holds, on <paramref name="day"/>, a delegation from the head of marketing (a person whose account
    /// is an owner account) of a function whose authority covers <paramref name="amount"/> — so it may approve what the head approves.
    /// </summary>
    public bool HoldsDelegatedHeadAuthority(string accountEmail, IReadOnlyCollection<string> ownerEmails, decimal? amount, DateOnly day)
    {
        var deputy = People.FirstOrDefault(p => string.Equals(p.Account, accountEmail, StringComparison.OrdinalIgnoreCase) && !p.HasLeft(day));
        if (deputy is null) return false;
        var heads = People.Where(p => p.Account is { } account && ownerEmails.Contains(account, StringComparer.OrdinalIgnoreCase)).Select(p => p.Id).ToHashSet();
        return Delegations.Any(d => d.To == deputy.Id && heads.Contains(d.From) && d.ActiveOn(day)
            && Functions.FirstOrDefault(f => f.Id == d.Function) is { } function && function.Accountable.Contains(d.From)
            && function.AuthorityAmount >= (amount ?? 0));
    }

    /// <summary>
    /// Staff cost per channel over a number of days: each function tied to channels costs its holders' monthly cost in
    /// proportion to its weekly hours, shared equally by its channels (a month counted as 30 days).
    /// </summary>
    public IReadOnlyDictionary<string, decimal> StaffCostByChannel(int days)
    {
        var costs = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var function in Functions.Where(f => f.Channels.Count > 0 && f.Accountable.Count > 0))
        {
            var monthly = function.Accountable.Select(id => People.FirstOrDefault(p => p.Id == id)).Where(p => p is { HoursPerWeek: > 0 })
                .Sum(p => p!.MonthlyCost * (function.WeeklyHours / function.Accountable.Count) / p.HoursPerWeek);
            foreach (var channel in function.Channels)
                costs[channel] = costs.GetValueOrDefault(channel) + Math.Round(monthly * days / 30m / function.Channels.Count, 2);
        }
        return costs;
    }

    /// <summary>The department's date at <paramref name="now"/>: the day in its time zone, where its people work.</summary>
    public DateOnly TodayAt(DateTimeOffset now) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, TimeZoneInfo.FindSystemTimeZoneById(Settings.TimeZone)).DateTime);

    /// <summary>The strategy in force on <paramref name="day"/>: the latest version effective on or before it.</summary>
    public Strategy? CurrentStrategy(DateOnly day) =>
        Strategies.Where(s => s.EffectiveFrom <= day).MaxBy(s => s.EffectiveFrom);
}

/// <summary>Thresholds of the structure health report.</summary>
public sealed class DepartmentSettings
{
    /// <summary>A person or unit loaded below this share of available hours is reported as idle capacity.</summary>
    public decimal IdleBelow { get; init; } = 0.6m;

    /// <summary>One person as the only backup of this many functions or more is reported.</summary>
    public int OnlyBackupLimit { get; init; } = 3;

    /// <summary>Days after which an access is overdue for review.</summary>
    public int AccessReviewDays { get; init; } = 90;

    /// <summary>Weeks ahead over which absences reduce available hours.</summary>
    public int CapacityWeeks { get; init; } = 4;

    /// <summary>The department's IANA time zone: its weekly digest goes on Monday at 09:00 there.</summary>
    public string TimeZone { get; init; } = "UTC";
}
