namespace Panorama.Core.Accounts;

/// <summary>One person's role on one site.</summary>
public sealed class SiteMember
{
    public int Id { get; set; }
    public int SiteId { get; set; }
    public required string UserId { get; set; }
    public SiteRole Role { get; set; }
}
