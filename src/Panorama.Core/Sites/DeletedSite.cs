namespace Panorama.Core.Sites;

/// <summary>
/// A deleted site's id, kept for good (ids are never reused): events for it that reach the store later are dropped, and
/// its events are swept once more after <see cref="SiteDeletion.SecondPass"/>, by whichever node runs first, restarts included.
/// </summary>
public sealed class DeletedSite
{
    public int SiteId { get; set; }

    public required string Domain { get; set; }

    public DateTimeOffset DeletedAt { get; set; }

    /// <summary>When the second pass removed what arrived during the deletion; null until then.</summary>
    public DateTimeOffset? SweptAt { get; set; }
}
