using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Panorama.Core.Enrichment;

/// <summary>
/// Parses User-Agents with uap-core's maintained rule set (<c>regexes.yaml</c>): the first matching rule
/// of each section names the browser, the OS and the device. A scan costs hundreds of microseconds,
/// so results are cached per User-Agent string.
/// </summary>
public sealed class UserAgentParser
{
    sealed record Rule(Regex Pattern, string? Family, string? Major, string? Minor);

    readonly List<Rule> browsers;
    readonly List<Rule> systems;
    readonly List<Rule> devices;
    readonly BoundedCache<string, UserAgentInfo> cache = new(20_000);

    UserAgentParser(List<Rule> browsers, List<Rule> systems, List<Rule> devices)
    {
        this.browsers = browsers;
        this.systems = systems;
        this.devices = devices;
    }

    public static readonly UserAgentParser None = new([], [], []);

    public bool IsLoaded => browsers.Count > 0;

    /// <summary>Loads regexes.yaml; a missing or unreadable file gives a parser that answers "unknown".</summary>
    public static UserAgentParser Load(string path)
    {
        if (!File.Exists(path)) return None;
        var yaml = new YamlStream();
        using (var reader = File.OpenText(path)) yaml.Load(reader);
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        return new UserAgentParser(
            Rules(root, "user_agent_parsers", "family_replacement", "v1_replacement", "v2_replacement"),
            Rules(root, "os_parsers", "os_replacement", "os_v1_replacement", "os_v2_replacement"),
            Rules(root, "device_parsers", "device_replacement", null, null));
    }

    static List<Rule> Rules(YamlMappingNode root, string section, string familyKey, string? majorKey, string? minorKey)
    {
        var rules = new List<Rule>();
        if (!root.Children.TryGetValue(new YamlScalarNode(section), out var node) || node is not YamlSequenceNode list) return rules;
        foreach (var item in list.Children.OfType<YamlMappingNode>())
        {
            string? Value(string? key) =>
                key is not null && item.Children.TryGetValue(new YamlScalarNode(key), out var v) ? ((YamlScalarNode)v).Value : null;
            var options = RegexOptions.CultureInvariant | (Value("regex_flag") == "i" ? RegexOptions.IgnoreCase : RegexOptions.None);
            try
            {
                var pattern = new Regex(Value("regex")!, options, TimeSpan.FromMilliseconds(50));
                rules.Add(new Rule(pattern, Value(familyKey), Value(majorKey), Value(minorKey)));
            }
            catch (ArgumentException)
            {
                // A rule .NET cannot compile is skipped; the next matching rule still answers.
            }
        }
        return rules;
    }

    public UserAgentInfo Parse(string userAgent) =>
        string.IsNullOrEmpty(userAgent) || !IsLoaded ? UserAgentInfo.Empty : cache.GetOrAdd(userAgent, ParseUncached);

    UserAgentInfo ParseUncached(string userAgent)
    {
        var (browser, browserMajor, browserMinor) = FirstMatch(browsers, userAgent);
        var (os, osMajor, osMinor) = FirstMatch(systems, userAgent);
        var (device, _, _) = FirstMatch(devices, userAgent);
        return new UserAgentInfo(
            browser ?? UserAgentInfo.Unknown,
            Version(browserMajor, browserMinor),
            os ?? UserAgentInfo.Unknown,
            Version(osMajor, osMinor),
            DeviceType.Classify(device, os, userAgent));
    }

    static string Version(string? major, string? minor) =>
        string.IsNullOrEmpty(major) ? "" : string.IsNullOrEmpty(minor) ? major : major + "." + minor;

    static (string? Family, string? Major, string? Minor) FirstMatch(List<Rule> rules, string userAgent)
    {
        foreach (var rule in rules)
        {
            Match match;
            try
            {
                match = rule.Pattern.Match(userAgent);
            }
            catch (RegexMatchTimeoutException)
            {
                continue;
            }
            if (!match.Success) continue;
            var family = Replace(rule.Family, match, 1);
            return (family == "Other" ? null : family, Replace(rule.Major, match, 2), Replace(rule.Minor, match, 3));
        }
        return (null, null, null);
    }

    // uap-core: a replacement may contain $1..$9; without one, the rule's n-th group is the value.
    static string? Replace(string? replacement, Match match, int group)
    {
        if (replacement is null)
            return match.Groups.Count > group && match.Groups[group].Success ? match.Groups[group].Value.Trim() : null;
        if (!replacement.Contains('$')) return replacement.Trim();
        var result = replacement;
        for (var i = 1; i < match.Groups.Count && i <= 9; i++)
            result = result.Replace("$" + i, match.Groups[i].Success ? match.Groups[i].Value : "");
        result = Regex.Replace(result, @"\$\d", "").Trim();
        return result.Length == 0 ? null : result;
    }
}
