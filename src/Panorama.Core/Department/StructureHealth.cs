namespace Panorama.Core.Department;

/// <summary>
/// Checks the department against the seed's rules (P3–P7) on a given day and lists every finding. Pure: the same
/// model and day give the same findings, in rule order.
/// </summary>
public static class StructureHealth
{
    /// <summary>Available and assigned weekly hours of a person: contracted, less absences over the look-ahead and learning time.</summary>
    public sealed record Capacity(string Person, decimal Available, decimal Workload, decimal MonthlyCost)
    {
        public decimal? Load => Available > 0 ? Workload / Available : null;
    }

    public static IReadOnlyList<Finding> Check(DepartmentModel model, DateOnly today)
    {
        var findings = new List<Finding>();
        var people = model.People.ToDictionary(p => p.Id);
        var present = model.People.Where(p => !p.HasLeft(today)).ToList();
        Accountability(model, people, findings);
        Backups(model, findings);
        Accesses(model, people, today, findings);
        Learning(present, findings);
        Delegations(model, people, today, findings);
        StrategyFit(model, today, findings);
        CapacityFindings(model, today, findings);
        Subdivisions(model, findings);
        return findings;
    }

    // 1. Exactly one accountable holder per function, who has the authority the function carries.
    static void Accountability(DepartmentModel model, Dictionary<string, Person> people, List<Finding> findings)
    {
        foreach (var function in model.Functions)
        {
            if (function.Accountable.Count == 0)
                findings.Add(new(1, "no-accountable-holder", Severity.High, $"Function '{function.Name}' has no accountable holder.", [], [function.Id], Units(function)));
            else if (function.Accountable.Count > 1)
                findings.Add(new(1, "several-accountable-holders", Severity.High,
                    $"Function '{function.Name}' has {function.Accountable.Count} accountable holders; responsibility must be unambiguous.", function.Accountable, [function.Id], Units(function)));
            foreach (var holder in function.Accountable)
                if (people.TryGetValue(holder, out var person) && person.AuthorityLimit < function.AuthorityAmount)
                    findings.Add(new(1, "holder-beyond-authority", Severity.Medium,
                        $"{person.Name} holds '{function.Name}', which decides up to {Amount(function.AuthorityAmount)}, with authority up to {Amount(person.AuthorityLimit)}.",
                        [holder], [function.Id], Units(function), function.AuthorityAmount - person.AuthorityLimit));
        }
    }

    // 2. Critical and unique functions need a trained backup; one person should not be the only backup of many.
    static void Backups(DepartmentModel model, List<Finding> findings)
    {
        foreach (var function in model.Functions.Where(f => f.Criticality != Criticality.Normal))
            if (!function.Backups.Any(b => b.Proficiency >= Proficiency.Trained && !function.Accountable.Contains(b.Person)))
                findings.Add(new(2, "no-trained-backup", function.Criticality == Criticality.Unique ? Severity.High : Severity.Medium,
                    $"{function.Criticality} function '{function.Name}' has no trained backup: one absence stops it.", function.Accountable, [function.Id], Units(function)));
        var onlyBackups = model.Functions.Where(f => f.Backups.Count == 1).GroupBy(f => f.Backups[0].Person);
        foreach (var group in onlyBackups.Where(g => g.Count() >= model.Settings.OnlyBackupLimit))
            findings.Add(new(2, "single-backup-for-many", Severity.Medium,
                $"{Name(model, group.Key)} is the only backup of {group.Count()} functions.", [group.Key], group.Select(f => f.Id).ToList(), []));
    }

    // 3. Accesses: what functions need and holders lack; what nothing justifies; expired, unreviewed, or held by leavers.
    static void Accesses(DepartmentModel model, Dictionary<string, Person> people, DateOnly today, List<Finding> findings)
    {
        bool Valid(AccessGrant grant) => grant.Expires is not { } expires || expires >= today;
        foreach (var function in model.Functions)
            foreach (var holder in function.Accountable)
                foreach (var need in function.Needs)
                    if (!model.Accesses.Any(a => a.Person == holder && Valid(a) && string.Equals(a.System, need.System, StringComparison.OrdinalIgnoreCase) && AccessGrant.Covers(a.Level, need.Level)))
                        findings.Add(new(3, "missing-access", Severity.High,
                            $"{Name(model, holder)} holds '{function.Name}' but lacks {need.Level} access to {need.System}.", [holder], [function.Id], Units(function)));
        foreach (var grant in model.Accesses)
        {
            var holder = people.GetValueOrDefault(grant.Person);
            if (holder is not null && holder.HasLeft(today))
            {
                findings.Add(new(3, "access-of-leaver", Severity.High, $"{holder.Name} left on {holder.LeftOn:yyyy-MM-dd} and still holds {grant.Level} access to {grant.System}.", [grant.Person], [], []));
                continue;
            }
            if (!Valid(grant))
                findings.Add(new(3, "access-expired", Severity.Medium, $"{Name(model, grant.Person)}'s {grant.Level} access to {grant.System} expired on {grant.Expires:yyyy-MM-dd}.", [grant.Person], [], []));
            var reviewed = grant.LastReview ?? grant.GrantedOn;
            if (today.DayNumber - reviewed.DayNumber > model.Settings.AccessReviewDays)
                findings.Add(new(3, "access-review-overdue", Severity.Low,
                    $"{Name(model, grant.Person)}'s access to {grant.System} was last reviewed on {reviewed:yyyy-MM-dd} (every {model.Settings.AccessReviewDays} days).", [grant.Person], [], [], System: grant.System));
            var justified = model.Functions.Any(f =>
                (grant.Function is null || grant.Function == f.Id)
                && (f.Accountable.Contains(grant.Person) || f.Backups.Any(b => b.Person == grant.Person))
                && f.Needs.Any(n => string.Equals(n.System, grant.System, StringComparison.OrdinalIgnoreCase)));
            if (!justified)
                findings.Add(new(3, "access-unjustified", Severity.Medium,
                    $"No function {Name(model, grant.Person)} holds or backs needs {grant.Level} access to {grant.System}.", [grant.Person], grant.Function is null ? [] : [grant.Function], []));
        }
    }

    // 4. Learning time (P4).
    static void Learning(List<Person> present, List<Finding> findings)
    {
        foreach (var person in present.Where(p => p.LearningShare > 0 && p.HoursPerWeek > 0))
        {
            var booked = person.LearningHoursPerWeek / person.HoursPerWeek;
            if (booked < person.LearningShare)
                findings.Add(new(4, "learning-below-share", Severity.Low,
                    $"{person.Name} has {Hours(person.LearningHoursPerWeek)} learning hours a week ({Percent(booked)}), below the target {Percent(person.LearningShare)}.", [person.Id], [], Unit(person)));
        }
    }

    // 5. Delegations: expired, overlapping, missing while the holder is away.
    static void Delegations(DepartmentModel model, Dictionary<string, Person> people, DateOnly today, List<Finding> findings)
    {
        foreach (var delegation in model.Delegations.Where(d => d.Until < today && d.Until >= today.AddDays(-30)))
            findings.Add(new(5, "delegation-expired", Severity.Low,
                $"The delegation of '{FunctionName(model, delegation.Function)}' from {Name(model, delegation.From)} to {Name(model, delegation.To)} expired on {delegation.Until:yyyy-MM-dd}.",
                [delegation.From, delegation.To], [delegation.Function], []));
        var byFunction = model.Delegations.GroupBy(d => d.Function);
        foreach (var group in byFunction)
        {
            var ordered = group.OrderBy(d => d.Start).ToList();
            for (var i = 1; i < ordered.Count; i++)
                if (ordered[i].Start <= ordered[i - 1].Until && ordered[i].To != ordered[i - 1].To)
                    findings.Add(new(5, "delegations-overlap", Severity.Medium,
                        $"'{FunctionName(model, group.Key)}' is delegated to {Name(model, ordered[i - 1].To)} and to {Name(model, ordered[i].To)} at the same time.",
                        [ordered[i - 1].To, ordered[i].To], [group.Key], []));
        }
        foreach (var function in model.Functions)
            foreach (var holder in function.Accountable)
                if (people.TryGetValue(holder, out var person) && person.IsAbsent(today)
                    && !model.Delegations.Any(d => d.Function == function.Id && d.From == holder && d.ActiveOn(today)))
                    findings.Add(new(5, "delegation-missing", function.Criticality == Criticality.Normal ? Severity.Medium : Severity.High,
                        $"{person.Name} is away and '{function.Name}' is delegated to nobody.", [holder], [function.Id], Units(function)));
    }

    // 6. The structure follows the strategy (P5).
    static void StrategyFit(DepartmentModel model, DateOnly today, List<Finding> findings)
    {
        var strategy = model.CurrentStrategy(today);
        if (strategy is null)
        {
            findings.Add(new(6, "no-strategy", Severity.High, "No strategy is in force: nothing says what the structure is for.", [], [], []));
            return;
        }
        var objectives = strategy.Objectives.Select(o => o.Id).ToHashSet();
        var serving = model.Functions.Where(f => f.Objectives.Any(objectives.Contains)).ToList();
        foreach (var function in model.Functions.Except(serving))
            findings.Add(new(6, "function-serves-no-objective", Severity.Medium,
                $"Function '{function.Name}' serves no objective of the strategy '{strategy.Title}'.", function.Accountable, [function.Id], Units(function),
                HoursCost(model, function)));
        foreach (var unit in model.Units.Where(u => !serving.Any(f => f.Unit == u.Id) && model.Functions.Any(f => f.Unit == u.Id)))
            findings.Add(new(6, "unit-serves-no-objective", Severity.Medium, $"Unit '{unit.Name}' has no function serving the current strategy.", [], [], [unit.Id]));
        foreach (var objective in strategy.Objectives.Where(o => !serving.Any(f => f.Objectives.Contains(o.Id))))
            findings.Add(new(6, "objective-unserved", Severity.High, $"Objective '{objective.Title}' is served by no function.", [], [], []));
        if (model.StructureReviewedOn is not { } reviewed || reviewed < strategy.EffectiveFrom)
            findings.Add(new(6, "structure-not-reviewed", Severity.Medium,
                $"The strategy changed on {strategy.EffectiveFrom:yyyy-MM-dd} and the structure has not been reviewed since{(model.StructureReviewedOn is { } r ? $" (last {r:yyyy-MM-dd})" : "")}.", [], [], []));
    }

    /// <summary>Each present person's available hours against the hours of the functions they are accountable for.</summary>
    public static IReadOnlyList<Capacity> Capacities(DepartmentModel model, DateOnly today)
    {
        var weeks = Math.Max(1, model.Settings.CapacityWeeks);
        var horizonDays = weeks * 7;
        return model.People.Where(p => !p.HasLeft(today)).Select(person =>
        {
            var daysAway = person.Absences.Sum(a => Overlap(a, today, today.AddDays(horizonDays - 1)));
            var available = person.HoursPerWeek * (1 - (decimal)daysAway / horizonDays) - person.LearningHoursPerWeek;
            var workload = model.Functions.Where(f => f.Accountable.Contains(person.Id)).Sum(f => f.WeeklyHours / f.Accountable.Count);
            return new Capacity(person.Id, Math.Max(0, available), workload, person.MonthlyCost);
        }).ToList();
    }

    // 7. Capacity against workload (P7: a structure that does not fit the tasks causes overload or excess cost).
    static void CapacityFindings(DepartmentModel model, DateOnly today, List<Finding> findings)
    {
        var capacities = Capacities(model, today);
        var strategy = model.CurrentStrategy(today);
        foreach (var capacity in capacities)
        {
            var person = model.People.First(p => p.Id == capacity.Person);
            var held = model.Functions.Where(f => f.Accountable.Contains(person.Id)).ToList();
            if (capacity.Load > 1)
            {
                var atRisk = KpisServedBy(strategy, held);
                findings.Add(new(7, "person-overloaded", capacity.Load > 1.2m ? Severity.High : Severity.Medium,
                    $"{person.Name} is loaded at {Percent(capacity.Load!.Value)}: {Hours(capacity.Workload)} h of functions a week against {Hours(capacity.Available)} h available."
                    + (atRisk.Count > 0 ? $" KPIs at risk: {string.Join(", ", atRisk)}." : ""),
                    [person.Id], held.Select(f => f.Id).ToList(), Unit(person)));
            }
            else if (capacity.Load is { } load && load < model.Settings.IdleBelow && person.HoursPerWeek > 0)
                findings.Add(new(7, "person-idle", Severity.Low,
                    $"{person.Name} is loaded at {Percent(load)} of available hours.", [person.Id], held.Select(f => f.Id).ToList(), Unit(person),
                    Math.Round((1 - load) * person.MonthlyCost, 2)));
        }
        foreach (var unit in model.Units)
        {
            var members = capacities.Where(c => model.People.First(p => p.Id == c.Person).Unit == unit.Id).ToList();
            var available = members.Sum(c => c.Available);
            if (members.Count == 0 || available <= 0) continue;
            var load = members.Sum(c => c.Workload) / available;
            if (load > 1)
                findings.Add(new(7, "unit-overloaded", Severity.Medium, $"Unit '{unit.Name}' is loaded at {Percent(load)} of its available hours.", members.Select(m => m.Person).ToList(), [], [unit.Id]));
            else if (load < model.Settings.IdleBelow)
                findings.Add(new(7, "unit-idle", Severity.Low, $"Unit '{unit.Name}' is loaded at {Percent(load)} of its available hours.", members.Select(m => m.Person).ToList(), [], [unit.Id],
                    Math.Round((1 - load) * members.Sum(m => m.MonthlyCost), 2)));
        }
    }

    // 8. Independent subdivisions need their own funding and authority (P6).
    static void Subdivisions(DepartmentModel model, List<Finding> findings)
    {
        foreach (var unit in model.Units.Where(u => u.Independent))
        {
            if (unit.MonthlyBudget is not > 0 && !model.Budgets.Any(b => b.Unit == unit.Id))
                findings.Add(new(8, "subdivision-without-budget", Severity.Medium, $"Independent subdivision '{unit.Name}' has no budget of its own.", [], [], [unit.Id]));
            if (string.IsNullOrWhiteSpace(unit.Authority))
                findings.Add(new(8, "subdivision-without-authority", Severity.Medium, $"Independent subdivision '{unit.Name}' has no authority of its own.", [], [], [unit.Id]));
        }
    }

    static List<string> KpisServedBy(Strategy? strategy, IEnumerable<Function> functions)
    {
        if (strategy is null) return [];
        var objectives = functions.SelectMany(f => f.Objectives).ToHashSet();
        return strategy.Objectives.Where(o => objectives.Contains(o.Id)).SelectMany(o => o.Kpis).Select(k => k.Name).ToList();
    }

    static decimal? HoursCost(DepartmentModel model, Function function)
    {
        // What the function costs a month: its share of its holders' hours times their cost.
        var cost = function.Accountable.Select(id => model.People.FirstOrDefault(p => p.Id == id))
            .Where(p => p is { HoursPerWeek: > 0 })
            .Sum(p => function.WeeklyHours / function.Accountable.Count / p!.HoursPerWeek * p.MonthlyCost);
        return cost > 0 ? Math.Round(cost, 2) : null;
    }

    static int Overlap(Absence absence, DateOnly from, DateOnly to)
    {
        var start = absence.From > from ? absence.From : from;
        var end = absence.To < to ? absence.To : to;
        return end < start ? 0 : end.DayNumber - start.DayNumber + 1;
    }

    // Messages read the same whatever the server's culture.
    static string Percent(decimal share) => Math.Round(share * 100).ToString("0", System.Globalization.CultureInfo.InvariantCulture) + "%";
    static string Amount(decimal amount) => amount.ToString("#,0", System.Globalization.CultureInfo.InvariantCulture);
    static string Hours(decimal hours) => hours.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);

    static string Name(DepartmentModel model, string personId) => model.People.FirstOrDefault(p => p.Id == personId)?.Name ?? personId;
    static string FunctionName(DepartmentModel model, string functionId) => model.Functions.FirstOrDefault(f => f.Id == functionId)?.Name ?? functionId;
    static IReadOnlyList<string> Units(Function function) => function.Unit is null ? [] : [function.Unit];
    static IReadOnlyList<string> Unit(Person person) => person.Unit is null ? [] : [person.Unit];
}
