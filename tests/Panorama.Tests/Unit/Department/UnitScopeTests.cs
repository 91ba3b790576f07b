using Panorama.Core.Department;

namespace Panorama.Tests.Unit.Department;

/// <summary>What the head of a unit may change: inside the units they head, not the units themselves nor anything above.</summary>
public sealed class UnitScopeTests
{
    static readonly DateOnly Today = new(2026, 11, 28);

    const string Base = """
        settings: {access_review_days: 90}
        units:
          - {id: top, name: Marketing, head: olga}
          - {id: web, name: Web, parent: top, head: anna, monthly_budget: 1000}
          - {id: seo, name: SEO team, parent: web}
          - {id: brand, name: Brand, parent: top}
        people:
          - {id: olga, name: Olga, unit: top, account: olga@x.test}
          - {id: anna, name: Anna, unit: web, account: Anna@X.test}
          - {id: sam, name: Sam, unit: seo}
          - {id: bea, name: Bea, unit: brand}
        functions:
          - {id: search, name: Search, unit: seo, accountable: [sam]}
          - {id: ads, name: Ads, unit: brand, accountable: [bea]}
        accesses:
          - {person: sam, system: CMS, level: write, granted_on: 2026-01-01}
          - {person: bea, system: Ads, level: admin, granted_on: 2026-01-01}
        budgets:
          - {unit: seo, channel: Organic Search, period_from: 2026-11-01, period_to: 2026-11-30, amount: 500}
          - {unit: web, channel: Paid Search, period_from: 2026-11-01, period_to: 2026-11-30, amount: 900}
        """;

    static readonly DepartmentModel Before = DepartmentDocument.Parse(Base);

    static IReadOnlyList<string> Refused(string email, string from, string to) =>
        UnitScope.For(Before, email, Today).Outside(Before, DepartmentDocument.Parse(Base.Replace(from, to, StringComparison.Ordinal)));

    [Fact]
    public void Head_ChangesPeopleFunctionsAccessesAndUnitsBelow()
    {
        Assert.Equal(["web"], UnitScope.For(Before, "anna@x.test", Today).Heads);
        Assert.Empty(Refused("anna@x.test", "{id: sam, name: Sam, unit: seo}", "{id: sam, name: Sam, unit: seo, hours_per_week: 20}\n  - {id: tim, name: Tim, unit: web}"));
        Assert.Empty(Refused("anna@x.test", "{id: search, name: Search, unit: seo, accountable: [sam]}", "{id: search, name: Search, unit: seo, accountable: [anna]}"));
        Assert.Empty(Refused("anna@x.test", "{person: sam, system: CMS, level: write", "{person: sam, system: CMS, level: admin"));
        Assert.Empty(Refused("anna@x.test", "{id: seo, name: SEO team, parent: web}", "{id: seo, name: Search team, parent: web}\n  - {id: smm, name: SMM, parent: web}"));
        Assert.Empty(Refused("anna@x.test", "channel: Organic Search, period_from: 2026-11-01, period_to: 2026-11-30, amount: 500", "channel: Organic Search, period_from: 2026-11-01, period_to: 2026-11-30, amount: 700"));
    }

    [Fact]
    public void Head_RefusedOutsideTheirUnits_TheirOwnUnitAndWhatIsDecidedAbove()
    {
        Assert.Equal(["person bea: outside the units you head (web)."], Refused("anna@x.test", "{id: bea, name: Bea, unit: brand}", "{id: bea, name: Bea, unit: web}"));
        Assert.Equal(["function ads: outside the units you head (web)."], Refused("anna@x.test", "{id: ads, name: Ads, unit: brand, accountable: [bea]}", "{id: ads, name: Ads, unit: brand, accountable: [anna]}"));
        Assert.Equal(["access bea → Ads: outside the units you head (web)."], Refused("anna@x.test", "level: admin", "level: read"));
        // The unit they head: its budget, parent and head are given from above, and so is its own budget line.
        Assert.Equal(["unit web: outside the units you head (web)."], Refused("anna@x.test", "head: anna, monthly_budget: 1000", "head: anna, monthly_budget: 5000"));
        Assert.Single(Refused("anna@x.test", "channel: Paid Search, period_from: 2026-11-01, period_to: 2026-11-30, amount: 900", "channel: Paid Search, period_from: 2026-11-01, period_to: 2026-11-30, amount: 9000"));
        // Moving a unit from under theirs to elsewhere, and the settings.
        Assert.Single(Refused("anna@x.test", "{id: seo, name: SEO team, parent: web}", "{id: seo, name: SEO team, parent: brand}"));
        Assert.Equal(["settings settings: outside the units you head (web)."], Refused("anna@x.test", "access_review_days: 90", "access_review_days: 30"));
    }

    [Fact]
    public void Head_GivesNoRights_NoAccountsAndNoDelegationsFromPeopleAbove()
    {
        // An account on a person of theirs (the owner's would make that person the head of marketing), on a newcomer too.
        Assert.Single(Refused("anna@x.test", "{id: sam, name: Sam, unit: seo}", "{id: sam, name: Sam, unit: seo, account: olga@x.test}"));
        Assert.Single(Refused("anna@x.test", "{id: sam, name: Sam, unit: seo}", "{id: sam, name: Sam, unit: seo}\n  - {id: tim, name: Tim, unit: web, account: tim@x.test}"));
        // A delegation of a function of theirs from someone above them, and one from their own person.
        Assert.Single(Refused("anna@x.test", "budgets:", "delegations:\n  - {from: olga, to: anna, function: search, start: 2026-11-01, until: 2026-11-30}\nbudgets:"));
        Assert.Empty(Refused("anna@x.test", "budgets:", "delegations:\n  - {from: sam, to: anna, function: search, start: 2026-11-01, until: 2026-11-30}\nbudgets:"));
    }

    [Fact]
    public void HigherHead_CoversEverythingBelow_LeaverAndStrangerHeadNothing()
    {
        Assert.Empty(Refused("olga@x.test", "head: anna, monthly_budget: 1000", "head: anna, monthly_budget: 5000"));
        Assert.Single(Refused("olga@x.test", "{id: top, name: Marketing, head: olga}", "{id: top, name: Marketing and sales, head: olga}"));
        Assert.True(UnitScope.For(Before, "nobody@x.test", Today).IsEmpty);
        Assert.True(UnitScope.For(Before, null, Today).IsEmpty);
        var left = DepartmentDocument.Parse(Base.Replace("account: Anna@X.test", "account: Anna@X.test, left_on: 2026-11-01", StringComparison.Ordinal));
        Assert.True(UnitScope.For(left, "anna@x.test", Today).IsEmpty);
    }

    [Fact]
    public void Head_MustBeAPerson()
    {
        var error = Assert.Throws<DepartmentDocumentException>(() => DepartmentDocument.Parse(Base.Replace("head: olga", "head: ghost", StringComparison.Ordinal)));
        Assert.Equal(["line 3: head: no person has id 'ghost'."], error.Errors);
    }
}
