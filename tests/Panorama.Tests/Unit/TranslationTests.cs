using System.Text.RegularExpressions;
using Panorama.Core.Accounts;
using Panorama.Web.Localization;

namespace Panorama.Tests.Unit;

/// <summary>Every English text the pages and the dashboard script show has a Russian translation.</summary>
public sealed partial class TranslationTests
{
    static string Root()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Panorama.slnx"))) folder = folder.Parent;
        return folder?.FullName ?? throw new InvalidOperationException("Run the tests inside the repository.");
    }

    static IEnumerable<string> UsedKeys()
    {
        var web = Path.Combine(Root(), "src", "Panorama.Web");
        foreach (var file in new[] { "Pages", "Email" }.SelectMany(folder => Directory.EnumerateFiles(Path.Combine(web, folder), "*.cs*", SearchOption.AllDirectories)))
            foreach (Match match in ServerText().Matches(File.ReadAllText(file)))
                yield return match.Groups[1].Value.Replace("\\\"", "\"", StringComparison.Ordinal);
        foreach (Match match in ScriptText().Matches(File.ReadAllText(Path.Combine(web, "Assets", "dashboard.js"))))
            yield return match.Groups[1].Value;
        // Texts chosen at run time: role names, period names, metric definitions.
        foreach (var role in Enum.GetNames<SiteRole>()) yield return role;
        foreach (var (_, label) in Panorama.Web.Pages.Sites.IndexModel.Periods) yield return label;
        foreach (var definition in Panorama.Web.Stats.MetricDefinitions.All.Values) yield return definition;
        foreach (var (_, title, definition) in Panorama.Web.Pages.Department.HealthModel.Rules) { yield return title; yield return definition; }
        foreach (var name in Enum.GetNames<Panorama.Core.Department.Criticality>()) yield return name.ToLowerInvariant();
        foreach (var name in Enum.GetNames<Panorama.Core.Department.Severity>()) yield return name;
        foreach (var name in Enum.GetNames<Panorama.Core.Decisions.Importance>()) yield return name;
        foreach (var name in Enum.GetNames<Panorama.Core.Decisions.DecisionStatus>()) yield return name;
        foreach (var name in Panorama.Web.Pages.Sites.RoiModel.ModelNames.Values) yield return name;
        foreach (var name in Enum.GetNames<Panorama.Core.Department.PacingBand>()) yield return name;
        foreach (var label in Panorama.Web.Email.ReportEmail.MetricLabels.Values) yield return label;
        foreach (var section in Panorama.Web.Pages.Sites.SettingsModel.ViewSections) { yield return section.Title; yield return section.About; yield return section.LinesLabel; yield return section.Button; }
        foreach (var label in new[] { "at least", "at most", "increase to", "decrease to" }) yield return label;
        foreach (var kind in new[] { "settings", "structure review", "strategy", "unit", "person", "function", "access", "delegation", "budget", "exchange rate" }) yield return kind;
    }

    [Fact]
    public void Russian_EveryTextUsed_IsTranslated()
    {
        var russian = new Texts().RussianKeys.ToHashSet(StringComparer.Ordinal);
        var used = UsedKeys().Distinct().ToList();
        Assert.True(used.Count > 150, $"Only {used.Count} texts found: has the pattern stopped matching?");
        var missing = used.Where(key => !russian.Contains(key)).ToList();
        Assert.True(missing.Count == 0, "Missing in ru.json:\n" + string.Join("\n", missing));
    }

    [Fact]
    public void Russian_Translations_KeepTheirPlaceholders()
    {
        var texts = new Texts();
        using var culture = new CultureScope("ru");
        foreach (var key in texts.RussianKeys)
        {
            var placeholders = Placeholder().Matches(key).Select(m => m.Value).Order();
            Assert.Equal(placeholders, Placeholder().Matches(texts[key]).Select(m => m.Value).Order());
            Assert.False(string.IsNullOrWhiteSpace(texts[key]), key);
        }
    }

    sealed class CultureScope : IDisposable
    {
        readonly System.Globalization.CultureInfo previous = System.Globalization.CultureInfo.CurrentUICulture;
        public CultureScope(string name) => System.Globalization.CultureInfo.CurrentUICulture = new System.Globalization.CultureInfo(name);
        public void Dispose() => System.Globalization.CultureInfo.CurrentUICulture = previous;
    }

    [GeneratedRegex(@"(?:\bT|texts)(?:\[|\.Format\()""((?:[^""\\]|\\.)*)""")]
    private static partial Regex ServerText();

    [GeneratedRegex(@"\bt\('((?:[^'\\]|\\.)*)'\)")]
    private static partial Regex ScriptText();

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex Placeholder();
}
