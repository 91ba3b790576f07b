using System.Globalization;
using System.Text;
using Panorama.Cli;
using Panorama.Core.Department;
using Panorama.Core.Sites;
using Panorama.Core.Spend;
using Panorama.Web.Localization;

namespace Panorama.Tests.Unit;

/// <summary>
/// The core's messages (validation, refused workflow steps) shown in the Russian interface: each is read against the
/// translated patterns, the problem inside a "line N: field: …" translated too, ids and field names left as written.
/// </summary>
public sealed class MessageTranslationTests : IDisposable
{
    readonly CultureInfo previous = CultureInfo.CurrentUICulture;
    readonly Texts texts = new();

    public MessageTranslationTests() => CultureInfo.CurrentUICulture = new CultureInfo("ru");

    public void Dispose() => CultureInfo.CurrentUICulture = previous;

    [Fact]
    public void NestedMessages_TranslatedPartByPart_ValuesKept()
    {
        Assert.Equal("строка 4: hours_per_week: «lots» — не число от 0 до 168.", texts.Message("line 4: hours_per_week: 'lots' is not a number from 0 to 168."));
        Assert.Equal("строка 6: accountable: не найден person с id «ghost».", texts.Message("line 6: accountable: no person has id 'ghost'."));
        Assert.Equal("Исключённые IP-адреса, строка 3: «203.0.113.300» — не IP-адрес или сеть вида 203.0.113.0/24.",
            texts.Message("Excluded IP addresses, line 3: '203.0.113.300' is not an IP address or a network such as 203.0.113.0/24."));
        Assert.Equal("строка 1: в заголовке нет столбца «campaign».", texts.Message("line 1: the header has no 'campaign' column."));
        Assert.Equal("Something the patterns do not know.", texts.Message("Something the patterns do not know."));
        CultureInfo.CurrentUICulture = new CultureInfo("en");
        Assert.Equal("line 1: the file is empty.", texts.Message("line 1: the file is empty."));
    }

    [Fact]
    public void EveryMessageTheCoreWrites_HasNoEnglishLeft()
    {
        var messages = new List<string>();
        // Fields that do not read, then a document whose fields read but whose references and periods do not hold.
        messages.AddRange(Errors<DepartmentDocumentException>(() => DepartmentDocument.Parse("""
            people:
              - id: anna
                name: Anna
                hours_per_week: lots
                left_on: yesterday
                learning_share: 2
                monthly_cost: -5
              - {id: boris, name: [B], colour: red}
            functions:
              - {id: seo, name: SEO, criticality: vital, backups: 5, accountable: anna}
              - {id: ads, name: Ads, objectives: [[x]]}
            """), e => e.Errors));
        messages.AddRange(Errors<DepartmentDocumentException>(() => DepartmentDocument.Parse(
            Strategy("{id: k2, name: M, site: shop.example, metric: sales, target: 1, period_from: 2026-10-01, period_to: 2026-12-31}") +
            "people: [{id: anna, name: Anna, absences: [{from: 2026-12-05, to: 2026-12-01}]}]\n"), e => e.Errors));
        messages.AddRange(Errors<DepartmentDocumentException>(() => DepartmentDocument.Parse(
            Strategy("{id: k1, name: K, site: shop.example, target: 1, period_from: 2026-12-31, period_to: 2026-10-01}") + """
            units: [{id: web, name: Web, parent: top}, {id: top, name: Top, parent: web}, {id: top, name: Twin}]
            people: [{id: anna, name: Anna, unit: web}, {id: boris, name: Boris, unit: ghost}]
            functions: [{id: seo, name: SEO, unit: web, accountable: [ghost]}]
            delegations: [{from: anna, to: boris, function: seo, start: 2026-12-05, until: 2026-12-01}]

            """), e => e.Errors));
        messages.AddRange(Errors<SpendImportException>(() => SpendImport.Parse(Encoding.UTF8.GetBytes(
            "date,channel,campaign,cost,currency,clicks\n2026-11-31,,a,ten,XYZ,x\n2026-11-04,Paid Search,a,10,RUB,\n2026-11-04,Paid Search,a,12,RUB,\n"), 1), e => e.Errors));
        messages.AddRange(Errors<SpendImportException>(() => SpendImport.Parse(Encoding.UTF8.GetBytes("date,cost\n"), 1), e => e.Errors));
        messages.AddRange(Errors<SpendImportException>(() => SpendImport.Parse(Encoding.UTF8.GetBytes("\n"), 1), e => e.Errors));
        messages.AddRange(SiteShield.Validate("203.0.113.300", "admin", "not a host", "China"));
        messages.AddRange(SiteShield.Validate(string.Join('\n', Enumerable.Range(1, 600).Select(i => $"10.0.{i / 250}.{i % 250}")), null, null, null));
        // Thrown by services over the database; written here as they format them.
        messages.AddRange([
            "A goal has either 'page_path' or 'event_name', not both.", "'page_path' must start with '/' (wildcards * and ** allowed).",
            "'event_name' is longer than 120 characters.", "'currency' is a 3-letter ISO 4217 code, and only custom-event goals carry revenue.",
            "'event_name' cannot be 'engagement': the tracker's engagement events are not conversions.", "'display_name' is longer than 120 characters.",
            "'display_name': goal 3 is already called 'Signup'; give this one another name.",
            "'display_name': goal 3 was called 'Signup', and filters naming it still reach that goal; give this one another name.", 
            "A custom property's name is 1 to 300 characters on one line.", "'custom_props': a property name is 1 to 300 characters.",
            "'custom_props': the value of 'plan' is 1 to 2000 characters.", "'custom_props': 'plan' is given twice.",
            "'custom_props': a goal needs at most 3 properties.", "'plan' is not a property as name=value.",
            "'scroll_threshold' is a share of the page from 1 to 100 (%), for a goal with a 'page_path'.",
            "A scroll depth goal has no 'custom_props' or 'currency': the tracker's engagement events carry neither.",
            "'custom_props' must be an object of property names and string values, such as {\"plan\": \"pro\"}.",
            "'shop' is not a valid domain.", "'shop.example' belongs to another site.",
            "'old.example' was new.example's domain until 2026-11-28 09:00 UTC and reaches that site for 72 hours after the change.",
            "This important decision needs the approval of the head of internet marketing.",
            "This strategic decision needs the approval of the head of internet marketing.",
            "The implementation date cannot be in the future.", "Decision 7 does not exist.", "Windows are 2 to 365 days.",
            "The after window ends on 2026-12-01: evaluate after that day.", "The decision names no site to measure.",
            "The decision is Draft; this step needs it UnderReview.", "A decision needs a title.",
            "'boss at shop' is not an email address.", "Unknown kind of report.", "A traffic spike needs a number of current visitors from 1 to 10000000.",
            "A traffic drop needs a number of visitors in 12 hours from 1 to 10000000.",
            "A site has at most 50 email recipients.", "A funnel needs a name of up to 80 characters.", "A funnel has 2 to 8 steps, one a line.",
            "Step 'Purchase of the yearly plan with a very long name indeed…' is too long: a page path (up to 2000 characters) or an event name (up to 120).",
            "A site has at most 50 saved funnels.", "A segment needs a name of up to 80 characters.", "A segment has 1 to 10 filters, one a line.",
            "Filter 2: 'visit:planet|is|Mars' is not dimension|operator|value (e.g. visit:source|is|Google; operators: is, is_not, contains, matches).",
            "A site has at most 50 saved segments.",
        ]);

        Assert.True(messages.Count > 30, $"Only {messages.Count} messages: has a parse stopped failing?");
        foreach (var kind in new[] { "is not a metric of the Stats API", "the absence ends", "is used 2 times", "its own ancestor", "no unit has id",
                     "no person has id", "the delegation ends", "the KPI's period ends", "an analytics KPI needs" })
            Assert.Contains(messages, message => message.Contains(kind, StringComparison.Ordinal));
        var english = new[] { " is ", " not ", " the ", " must ", " has ", " no ", " line ", " ends ", "required", " or ", "longer", " at most " };
        foreach (var message in messages)
        {
            var russian = texts.Message(message);
            // What is left in quotes is the user's own input or an id; the rest must be Russian.
            var outsideQuotes = string.Concat(russian.Split('«', '»').Where((_, i) => i % 2 == 0));
            Assert.True(!english.Any(word => (" " + outsideQuotes).Contains(word, StringComparison.Ordinal)), $"{message}\n→ {russian}");
        }
    }

    [Fact]
    public void StructureHealthFindings_OfTheDemoDepartment_AllInRussian()
    {
        var today = new DateOnly(2026, 11, 26);
        var findings = StructureHealth.Check(DepartmentDocument.Parse(DemoSeed.DemoDepartment(today)), today);
        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8], findings.Select(f => f.Rule).Distinct().Order());
        // Names, systems and KPIs stay as the model writes them; the sentence around them must not.
        var english = new[] { " holds ", " lacks ", " expired", " reviewed", " delegated", " serves ", "unction", "Unit '", "backup", "learning hours",
            " access to ", "ubdivision", "strategy changed", " is loaded", " left on ", " is away", "KPIs at risk" };
        foreach (var finding in findings)
        {
            var russian = texts.Message(finding.Message);
            Assert.True(russian != finding.Message && !english.Any(word => russian.Contains(word, StringComparison.Ordinal)), $"{finding.Message}\n→ {russian}");
        }
        Assert.Equal("Стратегия изменилась 2026-11-01, а структура с тех пор не пересматривалась (последний раз 2026-10-01).",
            texts.Message("The strategy changed on 2026-11-01 and the structure has not been reviewed since (last 2026-10-01)."));
        Assert.Equal("внедрено 2026-11-20", texts.Message("implemented on 2026-11-20"));
    }

    /// <summary>A strategy with one objective holding the KPI, as the department document starts.</summary>
    static string Strategy(string kpi) => $"""
        strategies:
          - id: s1
            title: Grow
            effective_from: 2026-01-01
            objectives:
              - id: o1
                title: Sales
                kpis:
                  - {kpi}

        """;

    static IEnumerable<string> Errors<TException>(Action parse, Func<TException, IEnumerable<string>> errors) where TException : Exception =>
        errors(Assert.Throws<TException>(parse));
}
