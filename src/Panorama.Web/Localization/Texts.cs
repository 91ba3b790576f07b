using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Panorama.Web.Localization;

/// <summary>
/// The interface's words in the request's language. Keys are the English text; <c>ru.json</c> holds the Russian.
/// A test checks that every key used by the pages and the dashboard script has a translation.
/// </summary>
public sealed class Texts
{
    public static readonly string[] Languages = ["en", "ru"];
    readonly IReadOnlyDictionary<string, string> russian;
    readonly Lazy<(Regex Pattern, string Key)[]> templates;

    public Texts()
    {
        using var stream = typeof(Texts).Assembly.GetManifestResourceStream("Panorama.Web.Localization.ru.json")
            ?? throw new InvalidOperationException("ru.json is not embedded.");
        russian = JsonSerializer.Deserialize<Dictionary<string, string>>(stream) ?? [];
        templates = new(() => [.. russian.Keys.Where(key => key.Contains("{0}", StringComparison.Ordinal))
            // The most specific first: "line {0}: parent: unit '{1}' is its own ancestor." before "line {0}: {1}: {2}".
            .OrderByDescending(key => Regex.Replace(key, @"\{\d\}", "").Length)
            .Select(key => (new Regex("^" + Regex.Replace(Regex.Escape(key), @"\\\{(\d)}", "(?<p$1>.+?)") + "$", RegexOptions.Singleline), key))]);
    }

    public static bool IsRussian => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "ru";

    public static string Language => IsRussian ? "ru" : "en";

    public string this[string english] => IsRussian && russian.TryGetValue(english, out var text) ? text : english;

    /// <summary>Formats like <see cref="string.Format(string, object[])"/> after translating the pattern.</summary>
    public string Format(string english, params object?[] values) => string.Format(CultureInfo.CurrentCulture, this[english], values);

    /// <summary>
    /// A message the core wrote in English (a validation error, a refused workflow step), in the request's language: the key
    /// whose placeholders match it, with each value that is a phrase of its own (it has a space: a field's problem, the
    /// shape a line should have) translated in turn; single words (ids, field names, domains) stay as written.
    /// </summary>
    public string Message(string english)
    {
        if (!IsRussian) return english;
        if (russian.TryGetValue(english, out var text)) return text;
        foreach (var (pattern, key) in templates.Value)
        {
            var match = pattern.Match(english);
            if (!match.Success) continue;
            var values = new object?[match.Groups.Count - 1];
            for (var i = 0; i < values.Length; i++)
            {
                var value = match.Groups["p" + i].Value;
                values[i] = value.Contains(' ', StringComparison.Ordinal) ? Message(value) : value;
            }
            return string.Format(CultureInfo.CurrentCulture, russian[key], values);
        }
        return english;
    }

    /// <summary>The translations the dashboard script needs (every one, in Russian; none in English).</summary>
    public IReadOnlyDictionary<string, string> ForScript => IsRussian ? russian : new Dictionary<string, string>();

    public IReadOnlyCollection<string> RussianKeys => (IReadOnlyCollection<string>)russian.Keys;
}
