using System.Net;
using System.Text.RegularExpressions;
using Panorama.Core.Goals;

namespace Panorama.Core.Sites;

/// <summary>
/// A site's exclusions, as Plausible's shields and Matomo's excluded IPs have them: events from excluded IP addresses
/// or networks (the office, the developers), on excluded pages (<c>/admin/**</c>), from hostnames outside an allow
/// list (a copied tracker on someone else's site), or from excluded countries (where the site does no business, or a
/// bot farm sends from) are answered 2xx and dropped, counted with the bots. The IP address is compared in memory only
/// and never stored. Each list is text, one entry a line.
/// </summary>
public sealed class SiteShield
{
    public const int MaxEntries = 500;

    readonly IPNetwork[] networks;
    readonly Regex? pages;
    readonly string[] hostnames;
    readonly HashSet<string> countries;

    SiteShield(IPNetwork[] networks, Regex? pages, string[] hostnames, HashSet<string> countries)
    {
        this.networks = networks;
        this.pages = pages;
        this.hostnames = hostnames;
        this.countries = countries;
    }

    public static readonly SiteShield None = new([], null, [], []);

    public bool IsEmpty => networks.Length == 0 && pages is null && hostnames.Length == 0 && countries.Count == 0;

    /// <summary>The site's shield; entries that do not parse (saved only through <see cref="Validate"/>, so none) are skipped.</summary>
    public static SiteShield For(Site site)
    {
        if (string.IsNullOrWhiteSpace(site.ExcludedIps) && string.IsNullOrWhiteSpace(site.ExcludedPages) && string.IsNullOrWhiteSpace(site.AllowedHostnames)
            && string.IsNullOrWhiteSpace(site.ExcludedCountries))
            return None;
        var networks = Lines(site.ExcludedIps).Select(line => ParseNetwork(line.Text)).OfType<IPNetwork>().ToArray();
        var pagePatterns = Lines(site.ExcludedPages).Where(line => line.Text.StartsWith('/')).Select(line => GoalPattern.ToRegex(line.Text)).ToList();
        // Non-backtracking: linear in the path whatever wildcards an admin combines, so no pattern can stall ingestion.
        var pages = pagePatterns.Count == 0 ? null
            : new Regex("^(?:" + string.Join('|', pagePatterns) + ")$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
        var hostnames = Lines(site.AllowedHostnames).Select(line => line.Text.ToLowerInvariant()).Where(IsHostnamePattern).ToArray();
        var countries = Lines(site.ExcludedCountries).Select(line => line.Text.ToUpperInvariant()).Where(IsCountryCode).ToHashSet(StringComparer.Ordinal);
        return new SiteShield(networks, pages, hostnames, countries);
    }

    /// <summary>Whether an event from this address and country, for this hostname and page, is dropped.</summary>
    public bool Excludes(string clientIp, string hostname, string pathname, string country)
    {
        if (country.Length > 0 && countries.Contains(country)) return true;
        if (networks.Length > 0 && IPAddress.TryParse(clientIp, out var address))
        {
            if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
            foreach (var network in networks)
                if (network.Contains(address)) return true;
        }
        if (pages is not null && pages.IsMatch(pathname)) return true;
        return hostnames.Length > 0 && !hostnames.Any(pattern => HostnameMatches(pattern, hostname));
    }

    /// <summary>The problems of each list, one message per bad line ("line 3: …"); empty when all four are valid.</summary>
    public static IReadOnlyList<string> Validate(string? excludedIps, string? excludedPages, string? allowedHostnames, string? excludedCountries)
    {
        var errors = new List<string>();
        void Check(string list, string? text, Func<string, bool> valid, string expected)
        {
            var lines = Lines(text).ToList();
            if (lines.Count > MaxEntries) errors.Add($"{list}: at most {MaxEntries} entries.");
            foreach (var (number, entry) in lines)
                if (!valid(entry)) errors.Add($"{list}, line {number}: '{entry}' is not {expected}.");
        }
        Check("Excluded IP addresses", excludedIps, entry => ParseNetwork(entry) is not null, "an IP address or a network such as 203.0.113.0/24");
        Check("Excluded pages", excludedPages, entry => entry.StartsWith('/') && entry.Length <= 2000, "a path starting with / (wildcards * and ** allowed)");
        Check("Allowed hostnames", allowedHostnames, IsHostnamePattern, "a hostname such as shop.example or *.shop.example");
        Check("Excluded countries", excludedCountries, entry => IsCountryCode(entry.ToUpperInvariant()), "a two-letter country code such as CN");
        return errors;
    }

    /// <summary>The list as it is stored: one trimmed entry a line, blank lines dropped.</summary>
    public static string? Normalize(string? text)
    {
        var lines = Lines(text).Select(line => line.Text).ToList();
        return lines.Count == 0 ? null : string.Join('\n', lines);
    }

    static IEnumerable<(int Number, string Text)> Lines(string? text) =>
        (text ?? "").Split('\n').Select((line, index) => (Number: index + 1, Text: line.Trim())).Where(line => line.Text.Length > 0);

    // An address alone is a network of one; host bits after the prefix (192.168.1.7/24, as people write it) are dropped.
    static IPNetwork? ParseNetwork(string entry)
    {
        var slash = entry.IndexOf('/');
        if (!IPAddress.TryParse(slash < 0 ? entry : entry[..slash], out var address)) return null;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        var bits = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128;
        var prefix = bits;
        if (slash >= 0 && (!int.TryParse(entry.AsSpan(slash + 1), System.Globalization.NumberStyles.None, null, out prefix) || prefix > bits)) return null;
        var bytes = address.GetAddressBytes();
        for (var bit = prefix; bit < bits; bit++) bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        return new IPNetwork(new IPAddress(bytes), prefix);
    }

    /// <summary>A region .NET knows by its ISO 3166-1 alpha-2 code (the lookup's codes are upper case).</summary>
    static bool IsCountryCode(string entry)
    {
        if (entry.Length != 2 || !char.IsAsciiLetterUpper(entry[0]) || !char.IsAsciiLetterUpper(entry[1])) return false;
        try
        {
            return new System.Globalization.RegionInfo(entry).TwoLetterISORegionName == entry;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    static bool IsHostnamePattern(string entry)
    {
        var name = entry.StartsWith("*.", StringComparison.Ordinal) ? entry[2..] : entry;
        return name.Length is > 0 and <= 253 && Uri.CheckHostName(name) == UriHostNameType.Dns;
    }

    /// <summary><c>shop.example</c> matches itself; <c>*.shop.example</c> matches its subdomains and itself.</summary>
    static bool HostnameMatches(string pattern, string hostname)
    {
        hostname = hostname.ToLowerInvariant();
        if (!pattern.StartsWith("*.", StringComparison.Ordinal)) return hostname == pattern;
        var parent = pattern[2..];
        return hostname == parent || hostname.EndsWith("." + parent, StringComparison.Ordinal);
    }
}
