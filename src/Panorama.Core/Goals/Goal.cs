using System.Text.Json;

namespace Panorama.Core.Goals;

/// <summary>
/// A conversion a site counts: a pageview whose path matches <see cref="PagePath"/> (wildcards: <c>*</c> within a
/// path segment, <c>**</c> across segments), or a custom event named <see cref="EventName"/>; in either case only
/// when the event carries every one of <see cref="CustomProps"/> (Plausible's goal custom properties). A revenue goal
/// also names the currency its amounts are kept in. A scroll depth goal (<see cref="ScrollThreshold"/>) is reached by a
/// page's engagement event whose deepest scroll is at least the threshold.
/// </summary>
public sealed class Goal
{
    public int Id { get; set; }
    public int SiteId { get; set; }
    public string? PagePath { get; set; }
    public string? EventName { get; set; }
    public string? Currency { get; set; }

    /// <summary>For a scroll depth goal on <see cref="PagePath"/>: the share of the page (1–100 %) to scroll to.</summary>
    public int? ScrollThreshold { get; set; }

    /// <summary>The name given to the goal, when it is not the default (<see cref="DisplayName"/>).</summary>
    public string? Name { get; set; }

    /// <summary>The custom properties an event needs, as a JSON object of strings (null: none).</summary>
    public string? CustomPropsJson { get; set; }

    /// <summary>
    /// The names the goal was shown under before it was renamed, one a line (null: never renamed). Filters, funnels, KPIs
    /// and decisions that name the goal keep reaching it by any of them.
    /// </summary>
    public string? FormerNames { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>
    /// How the goal is shown and filtered on: its own name, or the event name (<c>Visit /path</c> for a page), with its
    /// properties after it, so that two goals on one event with different properties keep apart.
    /// </summary>
    public string DisplayName => Name ?? DefaultName(PagePath, EventName, CustomProps, ScrollThreshold);

    public bool IsScroll => ScrollThreshold is not null;

    public IReadOnlyList<string> FormerNameList => FormerNames is null ? [] : FormerNames.Split('\n');

    /// <summary>Whether the goal is shown as <paramref name="name"/> or was before a rename (exactly equal, unless <paramref name="comparer"/> says otherwise).</summary>
    public bool IsCalled(string name, StringComparer? comparer = null)
    {
        comparer ??= StringComparer.Ordinal;
        return comparer.Equals(DisplayName, name) || FormerNameList.Contains(name, comparer);
    }

    /// <summary><see cref="CustomPropsJson"/> read (once per text: reports ask for it on every goal of every query).</summary>
    public IReadOnlyDictionary<string, string> CustomProps
    {
        get
        {
            if (CustomPropsJson is null) return Empty;
            if (parsed.Json != CustomPropsJson)
                parsed = (CustomPropsJson, JsonSerializer.Deserialize<SortedDictionary<string, string>>(CustomPropsJson) ?? Empty);
            return parsed.Props;
        }
    }

    (string? Json, IReadOnlyDictionary<string, string> Props) parsed = (null, Empty);

    static readonly SortedDictionary<string, string> Empty = new(StringComparer.Ordinal);

    public static string DefaultName(string? pagePath, string? eventName, IReadOnlyDictionary<string, string> props, int? scrollThreshold = null)
    {
        var name = scrollThreshold is { } threshold ? $"Scroll {threshold}% on {pagePath}" : eventName ?? "Visit " + pagePath;
        return props.Count == 0 ? name : $"{name} ({string.Join(", ", props.Select(p => p.Key + "=" + p.Value))})";
    }
}
