namespace Panorama.Core.Department;

/// <summary>
/// What the head of a unit may change in the department model (roles per unit): inside the units they head, the units
/// below them, people, functions, those people's accesses, those functions' delegations, and the budgets of the units below.
/// The units they head themselves (parent, budget, independence, authority, head), the strategy, the settings and the
/// exchange rates are decided above them, by the owner and the admins (P6: subdivisions have their own funding, given to them).
/// So are people's accounts, and delegations from people outside their units: both carry rights (an account that is the
/// owner's makes its person the head of marketing, whose delegations approve decisions).
/// </summary>
public sealed class UnitScope
{
    readonly HashSet<string> heads;

    UnitScope(HashSet<string> heads) => this.heads = heads;

    /// <summary>Heads nothing.</summary>
    public static readonly UnitScope None = new([]);

    /// <summary>The units the account heads on the day in the saved model; empty when none (a head who has left heads nothing).</summary>
    public static UnitScope For(DepartmentModel model, string? accountEmail, DateOnly day)
    {
        var people = model.People.Where(p => accountEmail is not null && string.Equals(p.Account, accountEmail, StringComparison.OrdinalIgnoreCase) && !p.HasLeft(day))
            .Select(p => p.Id).ToHashSet();
        return new(model.Units.Where(u => u.Head is { } head && people.Contains(head)).Select(u => u.Id).ToHashSet());
    }

    public bool IsEmpty => heads.Count == 0;

    public IReadOnlyCollection<string> Heads => heads;

    /// <summary>Whether the unit is one of the headed units or lies below one, following the parents in <paramref name="model"/>.</summary>
    public bool Covers(DepartmentModel model, string? unit) => unit is not null && (heads.Contains(unit) || Below(model, unit));

    /// <summary>Whether the unit lies below a headed unit (not one of them).</summary>
    bool Below(DepartmentModel model, string? unit)
    {
        var seen = new HashSet<string>();
        for (var parent = model.Units.FirstOrDefault(u => u.Id == unit)?.Parent; parent is not null && seen.Add(parent);
             parent = model.Units.FirstOrDefault(u => u.Id == parent)?.Parent)
            if (heads.Contains(parent)) return true;
        return false;
    }

    /// <summary>The changes from <paramref name="before"/> to <paramref name="after"/> this head may not make, one message each.</summary>
    public IReadOnlyList<string> Outside(DepartmentModel before, DepartmentModel after)
    {
        var refused = new List<string>();
        foreach (var change in DepartmentStore.Changes(before, after))
        {
            bool Holds(Func<DepartmentModel, object, bool> inside) =>
                (change.Was is null || inside(before, change.Was)) && (change.Is is null || inside(after, change.Is));
            var allowed = change.Kind switch
            {
                "unit" => Holds((model, unit) => Below(model, ((Unit)unit).Id)),
                "person" => Holds((model, person) => Covers(model, ((Person)person).Unit)) && (change.Is as Person)?.Account == (change.Was as Person)?.Account,
                "function" => Holds((model, function) => Covers(model, ((Function)function).Unit)),
                "access" => Holds((model, grant) => Covers(model, model.People.FirstOrDefault(p => p.Id == ((AccessGrant)grant).Person)?.Unit)),
                "delegation" => Holds((model, delegation) => Covers(model, model.Functions.FirstOrDefault(f => f.Id == ((Delegation)delegation).Function)?.Unit)
                    && Covers(model, model.People.FirstOrDefault(p => p.Id == ((Delegation)delegation).From)?.Unit)),
                "budget" => Holds((model, budget) => Below(model, ((Budget)budget).Unit)),
                _ => false,
            };
            if (!allowed) refused.Add($"{change.Kind} {change.Id}: outside the units you head ({string.Join(", ", heads.Order(StringComparer.Ordinal))}).");
        }
        return refused;
    }
}
