using Panorama.Core.Department;

namespace Panorama.Tests.Unit.Department;

/// <summary>Each rule of the structure health report on a small hand-built department, with the exact findings expected.</summary>
public sealed class StructureHealthTests
{
    static readonly DateOnly Today = new(2026, 11, 26);

    /// <summary>A healthy department: one strategy, one unit, two people who back each other up, every access justified.</summary>
    const string Healthy = """
        structure_reviewed_on: 2026-10-01
        strategies:
          - id: s2026
            title: Grow online sales
            effective_from: 2026-09-01
            objectives:
              - id: sales
                title: More online sales
                kpis:
                  - {id: purchases, name: Purchases, target: 100, period_from: 2026-10-01, period_to: 2026-12-31}
        units:
          - {id: web, name: Web marketing}
        people:
          - {id: anna, name: Anna, unit: web, hours_per_week: 40, monthly_cost: 4000, authority_limit: 10000, learning_share: 0.1, learning_hours_per_week: 4}
          - {id: boris, name: Boris, unit: web, hours_per_week: 40, monthly_cost: 3000, authority_limit: 10000, learning_share: 0.1, learning_hours_per_week: 4}
        functions:
          - id: seo
            name: SEO
            unit: web
            accountable: [anna]
            backups: [{person: boris, proficiency: trained}]
            weekly_hours: 30
            criticality: critical
            objectives: [sales]
            authority_amount: 5000
            needs: [{system: Search Console, level: write}]
          - id: ads
            name: Paid search
            unit: web
            accountable: [boris]
            backups: [{person: anna, proficiency: expert}]
            weekly_hours: 30
            objectives: [sales]
            needs: [{system: Yandex Direct, level: admin}]
        accesses:
          - {person: anna, system: Search Console, level: admin, granted_on: 2026-10-01, function: seo}
          - {person: boris, system: Search Console, level: read, granted_on: 2026-10-01, function: seo}
          - {person: boris, system: Yandex Direct, level: admin, granted_on: 2026-10-01, function: ads}
        """;

    static IReadOnlyList<string> Codes(string yaml) => StructureHealth.Check(DepartmentDocument.Parse(yaml), Today).Select(f => f.Code).ToList();

    static string Append(string lines) => Healthy + "\n" + lines;

    static string With(string find, string replace)
    {
        Assert.Contains(find, Healthy);
        return Healthy.Replace(find, replace, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_HealthyDepartment_NoFindings() => Assert.Empty(Codes(Healthy));

    [Fact]
    public void Rule1_NoneOrSeveralAccountableHolders_AndHolderBeyondAuthority()
    {
        // Without a holder, the function's hours fall on nobody: its access is unjustified and Boris and the unit idle.
        Assert.Equal(["no-accountable-holder", "access-unjustified", "person-idle", "unit-idle"], Codes(With("accountable: [boris]", "accountable: []")));
        var several = StructureHealth.Check(DepartmentDocument.Parse(With("accountable: [boris]", "accountable: [boris, anna]")), Today);
        Assert.Contains(several, f => f.Code == "several-accountable-holders" && f.People.SequenceEqual(["boris", "anna"]));
        var beyond = StructureHealth.Check(DepartmentDocument.Parse(With("authority_amount: 5000", "authority_amount: 25000")), Today).Single();
        Assert.Equal(("holder-beyond-authority", 15000m), (beyond.Code, beyond.MoneyPerMonth!.Value));
    }

    [Fact]
    public void Rule2_CriticalWithoutTrainedBackup_AndOneOnlyBackupOfMany()
    {
        Assert.Equal(["no-trained-backup"], Codes(With("{person: boris, proficiency: trained}", "{person: boris, proficiency: learning}")));
        var model = DepartmentDocument.Parse(With("structure_reviewed_on: 2026-10-01", "settings: {only_backup_limit: 2}\nstructure_reviewed_on: 2026-10-01")
            .Replace("accesses:", "  - {id: reports, name: Reports, unit: web, accountable: [boris], backups: [{person: anna}], objectives: [sales]}\naccesses:", StringComparison.Ordinal));
        var finding = StructureHealth.Check(model, Today).Single();
        Assert.Equal("single-backup-for-many", finding.Code);
        Assert.Equal(["anna"], finding.People);
    }

    [Fact]
    public void Rule3_MissingUnjustifiedExpiredUnreviewedAndLeaversAccess()
    {
        Assert.Equal(["missing-access"], Codes(With("{person: anna, system: Search Console, level: admin", "{person: anna, system: Search Console, level: read")));
        Assert.Equal(["access-unjustified"], Codes(Append("  - {person: anna, system: VK Ads, level: admin, granted_on: 2026-10-01}")));
        Assert.Equal(["missing-access", "access-expired"], Codes(With("level: admin, granted_on: 2026-10-01, function: seo}", "level: admin, granted_on: 2026-10-01, expires: 2026-11-01, function: seo}")));
        Assert.Equal(["access-review-overdue"], Codes(With("{person: boris, system: Search Console, level: read, granted_on: 2026-10-01", "{person: boris, system: Search Console, level: read, granted_on: 2026-06-01")));
        var left = Codes(With("monthly_cost: 3000,", "monthly_cost: 3000, left_on: 2026-11-20,"));
        Assert.Equal(2, left.Count(c => c == "access-of-leaver"));
    }

    [Fact]
    public void Rule4_LearningBelowShare()
    {
        var finding = StructureHealth.Check(DepartmentDocument.Parse(With("learning_hours_per_week: 4}\n  - {id: boris", "learning_hours_per_week: 1}\n  - {id: boris")), Today).Single();
        Assert.Equal(("learning-below-share", "anna"), (finding.Code, finding.People.Single()));
    }

    [Fact]
    public void Rule5_DelegationMissingWhileAway_OverlappingAndExpired()
    {
        var away = With("learning_hours_per_week: 4}\n  - {id: boris", "learning_hours_per_week: 4, absences: [{from: 2026-11-25, to: 2026-11-27}]}\n  - {id: boris");
        Assert.Contains("delegation-missing", Codes(away));
        var covered = away + "\ndelegations:\n  - {from: anna, to: boris, function: seo, start: 2026-11-25, until: 2026-11-27, reason: holiday}\n";
        Assert.DoesNotContain("delegation-missing", Codes(covered));
        var overlapping = Append("delegations:\n  - {from: boris, to: anna, function: ads, start: 2026-12-01, until: 2026-12-10}\n  - {from: boris, to: anna2, function: ads, start: 2026-12-05, until: 2026-12-12}");
        Assert.Throws<DepartmentDocumentException>(() => Codes(overlapping));
        var overlapsForReal = With("  - {id: boris,", "  - {id: vera, name: Vera, unit: web, hours_per_week: 0}\n  - {id: boris,")
            + "\ndelegations:\n  - {from: boris, to: anna, function: ads, start: 2026-12-01, until: 2026-12-10}\n  - {from: boris, to: vera, function: ads, start: 2026-12-05, until: 2026-12-12}\n";
        Assert.Equal(["delegations-overlap"], Codes(overlapsForReal));
        Assert.Equal(["delegation-expired"], Codes(Append("delegations:\n  - {from: boris, to: anna, function: ads, start: 2026-11-01, until: 2026-11-10}")));
    }

    [Fact]
    public void Rule6_StrategyFit()
    {
        Assert.Equal(["function-serves-no-objective"], Codes(With("objectives: [sales]\n    needs: [{system: Yandex", "objectives: []\n    needs: [{system: Yandex")));
        var unserved = Codes(With("kpis:", "kpis: []\n      - id: brand\n        title: Brand awareness\n        kpis:"));
        Assert.Equal(["objective-unserved"], unserved);
        Assert.Equal(["structure-not-reviewed"], Codes(With("structure_reviewed_on: 2026-10-01", "structure_reviewed_on: 2026-08-01")));
        Assert.Contains("no-strategy", Codes(With("effective_from: 2026-09-01", "effective_from: 2027-01-01")));
    }

    [Fact]
    public void Rule7_CapacityAgainstWorkload_OverloadNamesKpisIdleCostsMoney()
    {
        var overloaded = StructureHealth.Check(DepartmentDocument.Parse(With("weekly_hours: 30\n    criticality", "weekly_hours: 45\n    criticality")), Today);
        var finding = Assert.Single(overloaded, f => f.Code == "person-overloaded");
        // 45 h of functions against 40 − 4 learning = 36 h available: 125%.
        Assert.Contains("125%", finding.Message);
        Assert.Contains("Purchases", finding.Message);
        var idle = StructureHealth.Check(DepartmentDocument.Parse(With("weekly_hours: 30\n    objectives: [sales]\n    needs: [{system: Yandex", "weekly_hours: 18\n    objectives: [sales]\n    needs: [{system: Yandex")), Today);
        var boris = Assert.Single(idle, f => f.Code == "person-idle");
        // 18 h against 36 h: 50% loaded, half of 3,000 a month idle.
        Assert.Equal(1500m, boris.MoneyPerMonth);
        var capacity = StructureHealth.Capacities(DepartmentModelWithAbsence(), Today).Single(c => c.Person == "anna");
        Assert.Equal(26m, capacity.Available);
    }

    static DepartmentModel DepartmentModelWithAbsence() =>
        // A week away in the next four weeks: 40 × (1 − 7/28) − 4 learning = 26 h a week available.
        DepartmentDocument.Parse(With("learning_hours_per_week: 4}\n  - {id: boris", "learning_hours_per_week: 4, absences: [{from: 2026-12-01, to: 2026-12-07}]}\n  - {id: boris"));

    [Fact]
    public void Rule8_IndependentSubdivisionNeedsBudgetAndAuthority()
    {
        Assert.Equal(["subdivision-without-budget", "subdivision-without-authority"], Codes(With("{id: web, name: Web marketing}", "{id: web, name: Web marketing, independent: true}")));
        Assert.Empty(Codes(With("{id: web, name: Web marketing}", "{id: web, name: Web marketing, independent: true, monthly_budget: 50000, authority: campaigns up to 10000}")));
    }
}
