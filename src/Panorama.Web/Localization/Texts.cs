using System.Globalization;
using System.Text.Json;

namespace Panorama.Web.Localization;

/// <summary>
/// The interface's words in the request's language. Keys are the English text; <c>ru.json</c> holds the Russian.
/// A test checks that every key used by the pages and the dashboard script has a translation.
/// </summary>
public sealed class Texts
{
    public static readonly string[] Languages = ["en", "ru"];
    readonly IReadOnlyDictionary<string, string> russian;

    public Texts()
    {
        using var stream = typeof(Texts).Assembly.GetManifestResourceStream("Panorama.Web.Localization.ru.json")
            ?? throw new InvalidOperationException("ru.json is not embedded.");
        russian = JsonSerializer.Deserialize<Dictionary<string, string>>(stream) ?? [];
    }

    public static bool IsRussian => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "ru";

    public static string Language => IsRussian ? "ru" : "en";

    public string this[string english] => IsRussian && russian.TryGetValue(english, out var text) ? text : english;

    /// <summary>Formats like <see cref="string.Format(string, object[])"/> after translating the pattern.</summary>
    public string Format(string english, params object?[] values) => string.Format(CultureInfo.CurrentCulture, this[english], values);

    /// <summary>The translations the dashboard script needs (every one, in Russian; none in English).</summary>
    public IReadOnlyDictionary<string, string> ForScript => IsRussian ? russian : new Dictionary<string, string>();

    public IReadOnlyCollection<string> RussianKeys => (IReadOnlyCollection<string>)russian.Keys;
}
