namespace Panorama.Core.Access;

/// <summary>An API key. Only a SHA-256 hash of the secret is stored; the secret is shown once at creation.</summary>
public sealed class ApiKey
{
    public int Id { get; set; }
    public required string Name { get; set; }

    /// <summary>First characters of the key, shown in listings so users can tell keys apart.</summary>
    public required string Prefix { get; set; }

    /// <summary>Hex SHA-256 of the full key.</summary>
    public required string Hash { get; set; }

    /// <summary>Comma-separated site ids the key may read; empty means every site.</summary>
    public string SiteScope { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The account that created the key in the web interface; null for keys made with the CLI.</summary>
    public string? CreatedByUserId { get; set; }

    public IEnumerable<int> SiteIds => SiteScope.Length == 0 ? [] : SiteScope.Split(',').Select(id => int.Parse(id, System.Globalization.CultureInfo.InvariantCulture));

    public bool CanRead(int siteId) =>
        SiteScope.Length == 0 || SiteScope.Split(',').Contains(siteId.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
