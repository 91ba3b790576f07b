namespace Panorama.Core.Goals;

/// <summary>A funnel kept in a site's settings by name, as Plausible's are, so the dashboard offers it instead of retyping its steps.</summary>
public sealed class SavedFunnel
{
    public int Id { get; set; }

    public int SiteId { get; set; }

    public required string Name { get; set; }

    /// <summary>2 to 8 steps, one a line, as the dashboard's funnel takes them: a page path (<c>/blog/*</c>) or an event or goal name.</summary>
    public required string Steps { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public IReadOnlyList<string> StepList => Steps.Split('\n');
}
