namespace Panorama.Core.Sites;

/// <summary>Normalises what users type or trackers send as a site domain.</summary>
public static class SiteDomain
{
    public const int MaxLength = 253;

    /// <summary>Returns the canonical domain, or null when the text cannot be a host name.</summary>
    public static string? Normalize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var domain = text.Trim().ToLowerInvariant();
        if (domain.StartsWith("https://", StringComparison.Ordinal)) domain = domain[8..];
        else if (domain.StartsWith("http://", StringComparison.Ordinal)) domain = domain[7..];
        domain = domain.TrimEnd('/');
        if (domain.StartsWith("www.", StringComparison.Ordinal)) domain = domain[4..];
        if (domain.Length == 0 || domain.Length > MaxLength) return null;
        foreach (var c in domain)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or ':' || c > 127)) return null;
        }
        return domain;
    }
}
