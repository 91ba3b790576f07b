namespace Panorama.Core.Goals;

public enum SavedViewKind
{
    /// <summary>2 to 8 steps, as the dashboard's funnel takes them: a page path (<c>/blog/*</c>) or an event or goal name.</summary>
    Funnel,

    /// <summary>1 to 10 filters, as the dashboard's URL carries them: <c>dimension|operator|value</c>.</summary>
    Segment,
}

/// <summary>
/// A funnel or a segment (a set of filters) kept in a site's settings by name, as Plausible keeps them, so the dashboard offers
/// it instead of retyping it.
/// </summary>
public sealed class SavedView
{
    public int Id { get; set; }

    public int SiteId { get; set; }

    public SavedViewKind Kind { get; set; }

    public required string Name { get; set; }

    /// <summary>The steps or the filters, one a line.</summary>
    public required string Lines { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public IReadOnlyList<string> LineList => Lines.Split('\n');

    /// <summary>A segment's filters: each line's dimension, operator and value.</summary>
    public IEnumerable<(string Dimension, string Operator, string Value)> Filters =>
        LineList.Select(FilterLine).OfType<(string, string, string)>();

    /// <summary>One <c>dimension|operator|value</c> line, trimmed; null when it has fewer than three parts.</summary>
    public static (string Dimension, string Operator, string Value)? FilterLine(string line) =>
        line.Split('|', 3) is [var dimension, var op, var value] ? (dimension.Trim(), op.Trim(), value.Trim()) : null;
}
