namespace Panorama.Core.Accounts;

/// <summary>
/// A read-only view of one site's dashboard for anyone holding the link, optionally behind a password.
/// The token is the secret in the URL; it opens the dashboard and its reports, nothing else.
/// </summary>
public sealed class SharedLink
{
    public int Id { get; set; }
    public int SiteId { get; set; }
    public required string Name { get; set; }
    public required string Token { get; set; }

    /// <summary>Identity's password hash, or null for a link without a password.</summary>
    public string? PasswordHash { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
