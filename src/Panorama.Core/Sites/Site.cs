namespace Panorama.Core.Sites;

/// <summary>A tracked web site, identified by its domain as the tracker sends it in <c>data-domain</c>.</summary>
public sealed class Site
{
    public int Id { get; set; }

    /// <summary>Lower-case domain without <c>www.</c>, e.g. <c>shop.example</c>.</summary>
    public required string Domain { get; set; }

    /// <summary>The domain before the last change; events and API calls naming it still reach this site for <see cref="SiteDirectory.DomainTransition"/>.</summary>
    public string? PreviousDomain { get; set; }

    public DateTimeOffset? DomainChangedAt { get; set; }

    /// <summary>Stable public id, accepted as Umami's <c>website</c> field.</summary>
    public Guid PublicId { get; set; } = Guid.NewGuid();

    /// <summary>IANA time zone in which the site's days, weeks and months are counted.</summary>
    public string TimeZone { get; set; } = "UTC";

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>IP addresses and networks whose events are dropped, one a line (<see cref="SiteShield"/>).</summary>
    public string? ExcludedIps { get; set; }

    /// <summary>Page patterns whose events are dropped, one a line (<c>/admin/**</c>).</summary>
    public string? ExcludedPages { get; set; }

    /// <summary>When set, the only hostnames whose events count, one a line (<c>*.shop.example</c> for subdomains).</summary>
    public string? AllowedHostnames { get; set; }

    /// <summary>Countries (ISO 3166-1 alpha-2, as the location lookup gives them) whose events are dropped, one a line.</summary>
    public string? ExcludedCountries { get; set; }

    /// <summary>
    /// When set, the custom properties the dashboard offers, one a line (Plausible's allowed custom properties); null:
    /// every property in use. The Stats API breaks down by any property either way.
    /// </summary>
    public string? ShownProperties { get; set; }

    public IReadOnlyList<string> ShownPropertyList => ShownProperties is null ? [] : ShownProperties.Split('\n');

    SiteShield? shield;

    /// <summary>The exclusions, compiled once per loaded site.</summary>
    public SiteShield Shield() => shield ??= SiteShield.For(this);
}
