namespace Panorama.Core.Goals;

/// <summary>
/// A conversion a site counts: a pageview whose path matches <see cref="PagePath"/> (wildcards: <c>*</c> within a
/// path segment, <c>**</c> across segments), or a custom event named <see cref="EventName"/>. A revenue goal
/// also names the currency its amounts are kept in.
/// </summary>
public sealed class Goal
{
    public int Id { get; set; }
    public int SiteId { get; set; }
    public string? PagePath { get; set; }
    public string? EventName { get; set; }
    public string? Currency { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>How the goal is shown and filtered on: the event name, or <c>Visit /path</c>.</summary>
    public string DisplayName => EventName ?? "Visit " + PagePath;
}
