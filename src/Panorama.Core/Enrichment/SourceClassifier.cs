using System.Collections.Frozen;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Panorama.Core.Enrichment;

/// <summary>
/// Turns a referrer, UTM tags and ad click ids into a source name and a channel. Hosts come from
/// Ghost's maintained <c>referrers.json</c>, extended with what it lacks for the Russian-speaking web
/// and with AI assistants.
/// </summary>
public sealed partial class SourceClassifier
{
    public enum Kind { Search, Social, Email, Paid, Video, Shopping, Ai, Referral, Unknown }

    sealed record Known(string Name, Kind Kind);

    // Additions and corrections to referrers.json (checked: the list lacks these or names them poorly).
    static readonly (string Host, string Name, Kind Kind)[] Additions =
    [
        ("ya.ru", "Yandex", Kind.Search), ("yandex.kz", "Yandex", Kind.Search), ("yandex.com.tr", "Yandex", Kind.Search),
        ("dzen.ru", "Dzen", Kind.Social), ("zen.yandex.ru", "Dzen", Kind.Social),
        ("t.me", "Telegram", Kind.Social), ("web.telegram.org", "Telegram", Kind.Social), ("telegram.org", "Telegram", Kind.Social),
        ("vk.com", "VK", Kind.Social), ("m.vk.com", "VK", Kind.Social), ("vk.ru", "VK", Kind.Social), ("away.vk.com", "VK", Kind.Social),
        ("ok.ru", "Odnoklassniki", Kind.Social), ("rambler.ru", "Rambler", Kind.Search), ("nova.rambler.ru", "Rambler", Kind.Search),
        ("go.mail.ru", "Mail.ru", Kind.Search), ("e.mail.ru", "Mail.ru", Kind.Email), ("rutube.ru", "Rutube", Kind.Video),
        ("youtube.com", "YouTube", Kind.Video), ("m.youtube.com", "YouTube", Kind.Video), ("youtu.be", "YouTube", Kind.Video),
        ("vimeo.com", "Vimeo", Kind.Video), ("twitch.tv", "Twitch", Kind.Video), ("tiktok.com", "TikTok", Kind.Social),
        ("x.com", "X", Kind.Social), ("twitter.com", "X", Kind.Social), ("t.co", "X", Kind.Social),
        ("l.facebook.com", "Facebook", Kind.Social), ("lm.facebook.com", "Facebook", Kind.Social), ("m.facebook.com", "Facebook", Kind.Social),
        ("l.instagram.com", "Instagram", Kind.Social), ("linkedin.com", "LinkedIn", Kind.Social), ("lnkd.in", "LinkedIn", Kind.Social),
        ("reddit.com", "Reddit", Kind.Social), ("old.reddit.com", "Reddit", Kind.Social), ("news.ycombinator.com", "Hacker News", Kind.Social),
        ("duckduckgo.com", "DuckDuckGo", Kind.Search), ("search.brave.com", "Brave Search", Kind.Search), ("ecosia.org", "Ecosia", Kind.Search),
        ("market.yandex.ru", "Yandex Market", Kind.Shopping), ("ozon.ru", "Ozon", Kind.Shopping), ("wildberries.ru", "Wildberries", Kind.Shopping),
        ("chatgpt.com", "ChatGPT", Kind.Ai), ("chat.openai.com", "ChatGPT", Kind.Ai), ("perplexity.ai", "Perplexity", Kind.Ai),
        ("gemini.google.com", "Gemini", Kind.Ai), ("bard.google.com", "Gemini", Kind.Ai), ("copilot.microsoft.com", "Copilot", Kind.Ai),
        ("claude.ai", "Claude", Kind.Ai), ("chat.deepseek.com", "DeepSeek", Kind.Ai), ("deepseek.com", "DeepSeek", Kind.Ai),
        ("you.com", "You.com", Kind.Ai), ("poe.com", "Poe", Kind.Ai), ("meta.ai", "Meta AI", Kind.Ai), ("grok.com", "Grok", Kind.Ai),
        ("giga.chat", "GigaChat", Kind.Ai), ("alice.yandex.ru", "Alice", Kind.Ai), ("chat.mistral.ai", "Mistral", Kind.Ai),
    ];

    // Ad click ids: the source they imply and whether they mark paid traffic (fbclid is added to organic links too).
    static readonly (string Parameter, string Source, Kind Kind, bool Paid)[] ClickIds =
    [
        ("gclid", "Google", Kind.Search, true), ("gbraid", "Google", Kind.Search, true), ("wbraid", "Google", Kind.Search, true),
        ("yclid", "Yandex", Kind.Search, true), ("ysclid", "Yandex", Kind.Search, false), ("msclkid", "Bing", Kind.Search, true),
        ("fbclid", "Facebook", Kind.Social, false), ("ttclid", "TikTok", Kind.Social, true), ("twclid", "X", Kind.Social, true),
        ("li_fat_id", "LinkedIn", Kind.Social, true), ("vkclid", "VK", Kind.Social, true),
    ];

    readonly FrozenDictionary<string, Known> byHost;
    readonly FrozenDictionary<string, Known> byName;
    readonly FrozenSet<string> spamHosts;

    SourceClassifier(Dictionary<string, Known> hosts, IEnumerable<string> spam)
    {
        byHost = hosts.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        var names = new Dictionary<string, Known>(StringComparer.OrdinalIgnoreCase);
        // A name like "Yandex" belongs to search, mail and maps hosts alike; a tag names the most likely one.
        foreach (var known in hosts.Values.OrderBy(k => k.Kind)) names.TryAdd(known.Name, known);
        foreach (var (alias, name) in new[] { ("fb", "Facebook"), ("ig", "Instagram"), ("vkontakte", "VK"), ("tg", "Telegram"), ("yt", "YouTube"), ("twitter", "X"), ("ok", "Odnoklassniki") })
            if (names.TryGetValue(name, out var target)) names[alias] = target;
        byName = names.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        spamHosts = spam.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Loads referrers.json (missing: built-in hosts only) and a referrer-spam host list, one host per line.</summary>
    public static SourceClassifier Load(string referrersPath, string? spamPath)
    {
        var hosts = new Dictionary<string, Known>(StringComparer.OrdinalIgnoreCase);
        if (File.Exists(referrersPath))
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(referrersPath));
            foreach (var entry in document.RootElement.EnumerateObject())
            {
                if (entry.Name.Contains('/')) continue;
                var name = entry.Value.GetProperty("source").GetString() ?? entry.Name;
                var kind = entry.Value.GetProperty("medium").GetString() switch
                {
                    "search" => Kind.Search,
                    "social" => Kind.Social,
                    "email" => Kind.Email,
                    "paid" => Kind.Paid,
                    "referral" => Kind.Referral,
                    _ => Kind.Unknown,
                };
                hosts[StripWww(entry.Name)] = new Known(name == "Youtube" ? "YouTube" : name == "Twitter" ? "X" : name, kind);
            }
        }
        foreach (var (host, name, kind) in Additions) hosts[host] = new Known(name, kind);
        var spam = spamPath is not null && File.Exists(spamPath)
            ? File.ReadAllLines(spamPath).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))
            : [];
        return new SourceClassifier(hosts, spam);
    }

    /// <summary>True when the referrer host (or a parent domain) is a known referrer-spam host.</summary>
    public bool IsSpam(string? referrerHost)
    {
        if (string.IsNullOrEmpty(referrerHost)) return false;
        for (var host = referrerHost; ; host = host[(host.IndexOf('.') + 1)..])
        {
            if (spamHosts.Contains(host)) return true;
            if (host.IndexOf('.') < 0) return false;
        }
    }

    /// <summary>Classifies one landing: the page URL's query and the document referrer.</summary>
    public TrafficSource Classify(Uri page, Uri? referrer)
    {
        var query = QueryParameters(page.Query);
        string Param(string name) => query.TryGetValue(name, out var v) ? v : "";
        var utmSource = Param("utm_source");
        var utmMedium = Param("utm_medium");
        var utmCampaign = Param("utm_campaign");
        var utmContent = Param("utm_content");
        var utmTerm = Param("utm_term");

        var referrerHost = referrer is null ? "" : StripWww(referrer.Host);
        var selfReferral = referrerHost.Length > 0 && string.Equals(referrerHost, StripWww(page.Host), StringComparison.OrdinalIgnoreCase);
        var referrerText = referrer is null || selfReferral ? "" : referrerHost + (referrer.AbsolutePath == "/" ? "" : referrer.AbsolutePath);
        var fromReferrer = referrer is null || selfReferral ? null : FindHost(referrerHost);

        var taggedSource = utmSource.Length > 0 ? utmSource : Param("ref").Length > 0 ? Param("ref") : Param("source");
        Known? known = null;
        string source;
        if (taggedSource.Length > 0)
        {
            known = FindName(taggedSource);
            source = known?.Name ?? taggedSource;
        }
        else if (fromReferrer is not null)
        {
            known = fromReferrer;
            source = known.Name;
        }
        else if (referrerText.Length > 0)
        {
            source = referrerHost;
        }
        else
        {
            source = TrafficSource.DirectSource;
        }

        var paidClick = false;
        foreach (var (parameter, clickSource, kind, paid) in ClickIds)
        {
            if (!query.ContainsKey(parameter)) continue;
            if (source == TrafficSource.DirectSource) source = clickSource;
            known ??= FindName(clickSource) ?? new Known(clickSource, kind);
            paidClick |= paid;
            break;
        }

        var channel = ChannelOf(source, known?.Kind ?? Kind.Unknown, utmMedium.ToLowerInvariant(), utmCampaign.ToLowerInvariant(), paidClick, referrerText.Length > 0);
        return new TrafficSource(source, referrerText, channel, utmSource, utmMedium, utmCampaign, utmContent, utmTerm);
    }

    static string ChannelOf(string source, Kind kind, string medium, string campaign, bool paidClick, bool hasReferrer)
    {
        var paidMedium = PaidMedium().IsMatch(medium);
        if (source == TrafficSource.DirectSource && medium.Length == 0) return Channel.Direct;
        if (campaign.Contains("cross-network", StringComparison.Ordinal)) return Channel.CrossNetwork;
        if (paidMedium || paidClick)
        {
            return kind switch
            {
                Kind.Search => Channel.PaidSearch,
                Kind.Social => Channel.PaidSocial,
                Kind.Video => Channel.PaidVideo,
                _ => Channel.PaidOther,
            };
        }
        if (medium is "display" or "banner" or "expandable" or "interstitial" or "cpm" || kind == Kind.Paid) return Channel.Display;
        if (medium is "affiliate" or "affiliates") return Channel.Affiliates;
        if (medium is "email" or "e-mail" or "e_mail" or "e mail" or "newsletter" || kind == Kind.Email) return Channel.Email;
        if (medium == "sms") return Channel.Sms;
        if (medium == "audio") return Channel.Audio;
        if (medium.EndsWith("push", StringComparison.Ordinal) || medium.Contains("mobile", StringComparison.Ordinal) || medium.Contains("notification", StringComparison.Ordinal))
            return Channel.MobilePush;
        if (kind == Kind.Ai || medium is "ai" or "llm") return Channel.AiAssistants;
        if (kind == Kind.Search || medium == "organic") return Channel.OrganicSearch;
        if (kind == Kind.Social || medium is "social" or "social-network" or "social-media" or "sm" or "social network" or "social media")
            return Channel.OrganicSocial;
        if (kind == Kind.Video || medium.Contains("video", StringComparison.Ordinal)) return Channel.OrganicVideo;
        if (kind == Kind.Shopping || campaign.Contains("shop", StringComparison.Ordinal)) return Channel.OrganicShopping;
        if (medium is "referral" or "app" or "link" || hasReferrer || kind == Kind.Referral) return Channel.Referral;
        return Channel.Unassigned;
    }

    Known? FindHost(string host)
    {
        for (var candidate = host; candidate.Length > 0; candidate = candidate[(candidate.IndexOf('.') + 1)..])
        {
            if (byHost.TryGetValue(candidate, out var known)) return known;
            if (candidate.IndexOf('.') < 0) break;
        }
        return null;
    }

    Known? FindName(string value)
    {
        var trimmed = value.Trim();
        if (byName.TryGetValue(trimmed, out var known)) return known;
        return trimmed.Contains('.') ? FindHost(StripWww(trimmed.ToLowerInvariant())) : null;
    }

    static string StripWww(string host) => host.StartsWith("www.", StringComparison.OrdinalIgnoreCase) ? host[4..] : host;

    /// <summary>Query string parameters, first value wins, decoded; names lower-cased.</summary>
    static readonly Dictionary<string, string> NoParameters = new(StringComparer.Ordinal);

    public static IReadOnlyDictionary<string, string> QueryParameters(string query)
    {
        // Most pageviews carry no query string: no dictionary for them.
        if (query.Length <= 1) return NoParameters;
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=');
            var name = Uri.UnescapeDataString((equals < 0 ? pair : pair[..equals]).Replace('+', ' ')).ToLowerInvariant();
            var value = equals < 0 ? "" : Uri.UnescapeDataString(pair[(equals + 1)..].Replace('+', ' ')).Trim();
            if (value.Length > 2000) value = value[..2000];
            result.TryAdd(name, value);
        }
        return result;
    }

    [GeneratedRegex(@"^(.*cp.*|ppc|retargeting|paid.*)$")]
    private static partial Regex PaidMedium();
}
