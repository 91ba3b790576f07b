namespace Panorama.Core.Accounts;

/// <summary>An invitation by link to a role on a site. Only a hash of the link's token is stored.</summary>
public sealed class Invitation
{
    public int Id { get; set; }
    public required string Email { get; set; }
    public int SiteId { get; set; }
    public SiteRole Role { get; set; }
    public required string TokenHash { get; set; }
    public required string InvitedByUserId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? AcceptedAt { get; set; }
}
