using Panorama.Core.Department;

namespace Panorama.Tests.Unit.Department;

/// <summary>Reading the department model: whole or not at all, with every error naming its line and field.</summary>
public sealed class DepartmentDocumentTests
{
    [Fact]
    public void Parse_MissingReference_RejectedWithLineAndField()
    {
        var error = Assert.Throws<DepartmentDocumentException>(() => DepartmentDocument.Parse("""
            units:
              - {id: web, name: Web}
            people:
              - {id: anna, name: Anna, unit: web}
            functions:
              - {id: seo, name: SEO, accountable: [ghost]}
            """));
        Assert.Equal(["line 6: accountable: no person has id 'ghost'."], error.Errors);
    }

    [Fact]
    public void Parse_BadValues_EveryErrorWithItsLine()
    {
        var error = Assert.Throws<DepartmentDocumentException>(() => DepartmentDocument.Parse("""
            people:
              - id: anna
                name: Anna
                hours_per_week: lots
                left_on: yesterday
              - {id: anna, name: Twin}
            functions:
              - {id: seo, name: SEO, criticality: vital, colour: red}
            """));
        Assert.Equal(
        [
            "line 4: hours_per_week: 'lots' is not a number from 0 to 168.",
            "line 5: left_on: 'yesterday' is not a date (YYYY-MM-DD).",
            "line 8: colour: unknown field; expected one of id, name, unit, accountable, backups, weekly_hours, criticality, objectives, authority, authority_amount, needs, channels.",
            "line 8: criticality: 'vital' is not one of normal, critical, unique.",
        ], error.Errors);
    }

    [Fact]
    public void Settings_TimeZone_KeptAndWritten_AnUnknownOneRefusedWithItsLine()
    {
        var model = DepartmentDocument.Parse("settings: {time_zone: Europe/Moscow}\n");
        Assert.Equal("Europe/Moscow", model.Settings.TimeZone);
        Assert.Contains("time_zone: Europe/Moscow", DepartmentDocument.Write(model));
        Assert.Equal("UTC", DepartmentDocument.Parse("units: []\n").Settings.TimeZone);
        var error = Assert.Throws<DepartmentDocumentException>(() => DepartmentDocument.Parse("settings:\n  time_zone: Mars/Olympus\n"));
        Assert.Equal(["line 2: time_zone: 'Mars/Olympus' is not an IANA time zone (such as Europe/Moscow)."], error.Errors);
    }

    [Fact]
    public void TodayAt_TheDateInTheDepartmentsTimeZone()
    {
        var lateEvening = new DateTimeOffset(2026, 11, 28, 22, 30, 0, TimeSpan.Zero);
        Assert.Equal(new DateOnly(2026, 11, 29), DepartmentDocument.Parse("settings: {time_zone: Europe/Moscow}\n").TodayAt(lateEvening));
        Assert.Equal(new DateOnly(2026, 11, 28), DepartmentDocument.Parse("units: []\n").TodayAt(lateEvening));
        Assert.Equal(new DateOnly(2026, 11, 27), DepartmentDocument.Parse("settings: {time_zone: America/Los_Angeles}\n").TodayAt(lateEvening.AddHours(-20)));
    }

    [Fact]
    public void Parse_DuplicateIds_Rejected()
    {
        var error = Assert.Throws<DepartmentDocumentException>(() => DepartmentDocument.Parse("people:\n  - {id: anna, name: A}\n  - {id: anna, name: B}\n"));
        Assert.Equal(["line 3: person id 'anna' is used 2 times."], error.Errors);
    }

    [Theory]
    [InlineData("people:\n  - {id: anna, name: A}\nunits:\n  - {id: {a: [b, {c: d}]}\nfunctions: []\n")] // YamlDotNet throws InvalidOperationException
    [InlineData("people: [\n")]
    [InlineData("people:\n\t- {id: anna}\n")]
    public void Parse_NotYaml_RejectedWithALine(string text)
    {
        var error = Assert.Throws<DepartmentDocumentException>(() => DepartmentDocument.Parse(text));
        Assert.Matches("^line [0-9]+: ", error.Errors[0]);
    }

    [Fact]
    public void Parse_Json_ReadsTheSameWithLines()
    {
        var model = DepartmentDocument.Parse("""{"people": [{"id": "anna", "name": "Anna", "hours_per_week": 32}]}""");
        Assert.Equal(32m, model.People.Single().HoursPerWeek);
        var error = Assert.Throws<DepartmentDocumentException>(() => DepartmentDocument.Parse("{\n\"people\": [\n{\"id\": \"anna\", \"name\": \"Anna\", \"unit\": \"nowhere\"}]}"));
        Assert.Equal(["line 3: unit: no unit has id 'nowhere'."], error.Errors);
    }

    [Fact]
    public void WriteThenParse_YamlAndJson_RoundTrip()
    {
        var text = """
            settings: {idle_below: 0.5}
            strategies:
              - id: s1
                title: Grow
                effective_from: 2026-01-01
                objectives:
                  - id: o1
                    title: Sales
                    kpis:
                      - {id: k1, name: Purchases, site: shop.example, metric: events, filters: [["is", "event:goal", ["Purchase"]]], target: 120, direction: increase_to, baseline: 80, period_from: 2026-10-01, period_to: 2026-12-31}
            units: [{id: web, name: Web, independent: true, monthly_budget: 1000, authority: ads}]
            people: [{id: anna, name: Anna, unit: web, absences: [{from: 2026-12-01, to: 2026-12-05, reason: leave}]}]
            functions: [{id: seo, name: SEO, unit: web, accountable: [anna], backups: [{person: anna, proficiency: expert}], criticality: unique, objectives: [o1], needs: [{system: CMS, level: write}]}]
            accesses: [{person: anna, system: CMS, level: write, granted_on: 2026-01-01, function: seo}]
            delegations: [{from: anna, to: anna, function: seo, start: 2026-12-01, until: 2026-12-05}]
            """;
        var model = DepartmentDocument.Parse(text);
        foreach (var json in new[] { false, true })
        {
            var again = DepartmentDocument.Parse(DepartmentDocument.Write(model, json));
            Assert.Equal(DepartmentDocument.Write(model), DepartmentDocument.Write(again));
        }
        var kpi = model.Strategies[0].Objectives[0].Kpis[0];
        Assert.Equal("""[["is","event:goal",["Purchase"]]]""", kpi.FiltersJson);
        Assert.Equal((KpiDirection.IncreaseTo, 80m), (kpi.Direction, kpi.Baseline!.Value));
    }
}
