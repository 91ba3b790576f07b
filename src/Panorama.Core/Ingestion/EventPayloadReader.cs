using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Panorama.Core.Ingestion;

/// <summary>
/// Reads Plausible's event API body (<c>POST /api/event</c>, short or long field names) and Umami's
/// <c>POST /api/send</c> body into an <see cref="IncomingEvent"/>, or says precisely what is wrong.
/// </summary>
public static class EventPayloadReader
{
    public readonly record struct Result(IncomingEvent? Event, EventRejection? Rejection, bool Ignored = false)
    {
        public static Result Fail(string detail) => new(null, EventRejection.Invalid(detail));
    }

    /// <summary>
    /// Plausible's body, read in one pass of <see cref="Utf8JsonReader"/> without building a document (a third of the
    /// parsing cost); only the rare nested values (props, revenue, a timestamp) are parsed into elements.
    /// </summary>
    public static Result ReadPlausible(ReadOnlySpan<byte> body)
    {
        try
        {
            return Plausible(body);
        }
        catch (InvalidOperationException exception)
        {
            return UnreadableText(exception);
        }
    }

    // System.Text.Json reads a string only when asked for it, and throws this for text JSON can carry but .NET strings
    // cannot: an escaped lone surrogate ("\ud800") or bytes that are not UTF-8.
    static Result UnreadableText(InvalidOperationException exception) =>
        Result.Fail($"The body is not valid JSON text: {exception.Message}");

    static Result Plausible(ReadOnlySpan<byte> body)
    {
        if (body.Length == 0) return Result.Fail("The body is empty; send a JSON object.");
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 8 });
        string? name = null, longName = null, url = null, longUrl = null, domain = null, longDomain = null, referrer = null, longReferrer = null;
        string? ip = null, userAgent = null, longUserAgent = null;
        bool? hashMode = null, longHashMode = null, interactive = null, longInteractive = null;
        int? width = null, longWidth = null, scrollDepth = null, longScrollDepth = null, engagement = null, longEngagement = null;
        Range props = default, longProps = default, meta = default, longMeta = default, revenue = default, longRevenue = default, timestamp = default;
        try
        {
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                return Result.Fail("The body must be a JSON object.");
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                // Later duplicates win, as with JsonElement.TryGetProperty; short names win over long ones.
                var field = FieldOf(ref reader);
                reader.Read();
                switch (field)
                {
                    case Field.N: name = Text(ref reader); break;
                    case Field.U: url = Text(ref reader); break;
                    case Field.D: domain = Text(ref reader); break;
                    case Field.R: referrer = Text(ref reader); break;
                    case Field.W: width = Integer(ref reader); break;
                    case Field.H: hashMode = Flag(ref reader); break;
                    case Field.I: interactive = NotFalse(ref reader); break;
                    case Field.P: props = Raw(ref reader); break;
                    case Field.M: meta = Raw(ref reader); break;
                    case Field.Revenue: revenue = Raw(ref reader); break;
                    case Field.Sd: scrollDepth = Integer(ref reader); break;
                    case Field.E: engagement = Integer(ref reader); break;
                    case Field.Name: longName = Text(ref reader); break;
                    case Field.Url: longUrl = Text(ref reader); break;
                    case Field.Domain: longDomain = Text(ref reader); break;
                    case Field.Referrer: longReferrer = Text(ref reader); break;
                    case Field.ScreenWidth: longWidth = Integer(ref reader); break;
                    case Field.HashMode: longHashMode = Flag(ref reader); break;
                    case Field.Interactive: longInteractive = NotFalse(ref reader); break;
                    case Field.Props: longProps = Raw(ref reader); break;
                    case Field.Meta: longMeta = Raw(ref reader); break;
                    case Field.LongRevenue: longRevenue = Raw(ref reader); break;
                    case Field.ScrollDepth: longScrollDepth = Integer(ref reader); break;
                    case Field.EngagementTime: longEngagement = Integer(ref reader); break;
                    case Field.Timestamp: timestamp = Raw(ref reader); break;
                    case Field.Ip: ip = Text(ref reader); break;
                    case Field.UserAgent: userAgent = Text(ref reader); break;
                    case Field.LongUserAgent: longUserAgent = Text(ref reader); break;
                    default: reader.Skip(); break;
                }
            }
        }
        catch (JsonException exception)
        {
            return Result.Fail($"The body is not valid JSON: {exception.Message}");
        }

        var propsRange = Present(props) ? props : Present(longProps) ? longProps : Present(meta) ? meta : longMeta;
        using var propsDocument = Document(body, propsRange);
        using var revenueDocument = Document(body, Present(revenue) ? revenue : longRevenue);
        using var timestampDocument = Document(body, timestamp);
        return Build(
            domains: domain ?? longDomain,
            name: name ?? longName,
            url: url ?? longUrl,
            referrer: referrer ?? longReferrer,
            hashMode: hashMode ?? longHashMode ?? false,
            interactive: interactive ?? longInteractive ?? true,
            screenWidth: width ?? longWidth,
            props: propsDocument?.RootElement,
            revenue: revenueDocument?.RootElement,
            scrollDepth: scrollDepth ?? longScrollDepth,
            engagement: engagement ?? longEngagement,
            timestamp: timestampDocument?.RootElement,
            ip: ip,
            userAgent: userAgent ?? longUserAgent);
    }

    enum Field
    {
        Unknown, N, U, D, R, W, H, I, P, M, Revenue, Sd, E, Name, Url, Domain, Referrer, ScreenWidth, HashMode, Interactive, Props, Meta,
        LongRevenue, ScrollDepth, EngagementTime, Timestamp, Ip, UserAgent, LongUserAgent,
    }

    static Field FieldOf(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped) return FieldOf(Encoding.UTF8.GetBytes(reader.GetString()!));
        return FieldOf(reader.ValueSpan);
    }

    static Field FieldOf(ReadOnlySpan<byte> key) => key switch
    {
        [(byte)'n'] => Field.N,
        [(byte)'u'] => Field.U,
        [(byte)'d'] => Field.D,
        [(byte)'r'] => Field.R,
        [(byte)'w'] => Field.W,
        [(byte)'h'] => Field.H,
        [(byte)'i'] => Field.I,
        [(byte)'p'] => Field.P,
        [(byte)'m'] => Field.M,
        [(byte)'$'] => Field.Revenue,
        [(byte)'e'] => Field.E,
        _ when key.SequenceEqual("sd"u8) => Field.Sd,
        _ when key.SequenceEqual("name"u8) => Field.Name,
        _ when key.SequenceEqual("url"u8) => Field.Url,
        _ when key.SequenceEqual("domain"u8) => Field.Domain,
        _ when key.SequenceEqual("referrer"u8) => Field.Referrer,
        _ when key.SequenceEqual("screen_width"u8) => Field.ScreenWidth,
        _ when key.SequenceEqual("hash_mode"u8) => Field.HashMode,
        _ when key.SequenceEqual("interactive"u8) => Field.Interactive,
        _ when key.SequenceEqual("props"u8) => Field.Props,
        _ when key.SequenceEqual("meta"u8) => Field.Meta,
        _ when key.SequenceEqual("revenue"u8) => Field.LongRevenue,
        _ when key.SequenceEqual("scroll_depth"u8) => Field.ScrollDepth,
        _ when key.SequenceEqual("engagement_time"u8) => Field.EngagementTime,
        _ when key.SequenceEqual("timestamp"u8) => Field.Timestamp,
        _ when key.SequenceEqual("ip"u8) => Field.Ip,
        _ when key.SequenceEqual("userAgent"u8) => Field.UserAgent,
        _ when key.SequenceEqual("user_agent"u8) => Field.LongUserAgent,
        _ => Field.Unknown,
    };

    /// <summary>A string value, or a number's text; anything else (skipped) is absent.</summary>
    static string? Text(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String: return reader.GetString();
            case JsonTokenType.Number: return Encoding.UTF8.GetString(reader.ValueSpan);
            default: reader.Skip(); return null;
        }
    }

    static int? Integer(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number when reader.TryGetDouble(out var d) && d is >= int.MinValue and <= int.MaxValue: return (int)Math.Round(d);
            case JsonTokenType.String when int.TryParse(reader.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var i): return i;
            default: reader.Skip(); return null;
        }
    }

    static bool Flag(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.True: return true;
            case JsonTokenType.Number: return reader.TryGetInt32(out var i) && i != 0;
            case JsonTokenType.String: return reader.GetString() is "1" or "true";
            default: reader.Skip(); return false;
        }
    }

    /// <summary>Only a literal <c>false</c> makes an event non-interactive.</summary>
    static bool NotFalse(ref Utf8JsonReader reader)
    {
        var result = reader.TokenType != JsonTokenType.False;
        reader.Skip();
        return result;
    }

    /// <summary>Where a value lies in the body, to parse later if it is used.</summary>
    static Range Raw(ref Utf8JsonReader reader)
    {
        var start = (int)reader.TokenStartIndex;
        reader.Skip();
        return new Range(start, (int)reader.BytesConsumed);
    }

    static bool Present(Range range) => !range.Equals(default(Range));

    static JsonDocument? Document(ReadOnlySpan<byte> body, Range range)
    {
        if (!Present(range)) return null;
        var reader = new Utf8JsonReader(body[range], new JsonReaderOptions { MaxDepth = 8 });
        return JsonDocument.ParseValue(ref reader);
    }

    /// <summary>Umami's shape: <c>{"type": "event", "payload": {"website", "hostname", "url", "referrer", "screen", "name", "data"}}</c>.</summary>
    public static Result ReadUmami(ReadOnlySpan<byte> body, Func<string, string?> resolveWebsite)
    {
        try
        {
            return Umami(body, resolveWebsite);
        }
        catch (InvalidOperationException exception)
        {
            return UnreadableText(exception);
        }
    }

    static Result Umami(ReadOnlySpan<byte> body, Func<string, string?> resolveWebsite)
    {
        if (!TryParse(body, out var document, out var failure)) return failure;
        using (document)
        {
            var root = document!.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return Result.Fail("The body must be a JSON object.");
            var type = String(root, "type", null);
            if (type == "identify") return new Result(null, null, Ignored: true);
            if (type != "event") return Result.Fail("'type' must be \"event\" or \"identify\".");
            if (Property(root, "payload", null) is not { ValueKind: JsonValueKind.Object } payload)
                return Result.Fail("'payload' must be an object.");
            var website = String(payload, "website", null);
            if (string.IsNullOrEmpty(website)) return Result.Fail("'payload.website' is required.");
            var domain = resolveWebsite(website);
            var hostname = String(payload, "hostname", null);
            var path = String(payload, "url", null) ?? "/";
            string url;
            if (path.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || path.StartsWith("https://", StringComparison.OrdinalIgnoreCase)) url = path;
            else url = "https://" + (string.IsNullOrEmpty(hostname) ? domain ?? website : hostname) + (path.StartsWith('/') ? path : "/" + path);
            int? width = null;
            var screen = String(payload, "screen", null);
            if (screen is not null && int.TryParse(screen.Split('x')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var w)) width = w;
            var name = String(payload, "name", null);
            var data = Property(payload, "data", null);
            JsonElement? revenue = null;
            if (data is { ValueKind: JsonValueKind.Object } d && Property(d, "revenue", null) is { } amount && Property(d, "currency", null) is { } _)
                revenue = d;
            return Build(
                domains: domain ?? website,
                name: string.IsNullOrEmpty(name) ? "pageview" : name,
                url: url,
                referrer: String(payload, "referrer", null),
                hashMode: false,
                interactive: true,
                screenWidth: width,
                props: data,
                revenue: revenue is null ? null : revenue,
                scrollDepth: null,
                engagement: null,
                timestamp: Property(payload, "timestamp", null),
                ip: String(payload, "ip", null),
                userAgent: String(payload, "userAgent", null),
                revenueAmountKey: "revenue");
        }
    }

    static bool TryParse(ReadOnlySpan<byte> body, out JsonDocument? document, out Result failure)
    {
        document = null;
        failure = default;
        if (body.Length == 0)
        {
            failure = Result.Fail("The body is empty; send a JSON object.");
            return false;
        }
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 8 });
        try
        {
            document = JsonDocument.ParseValue(ref reader);
            return true;
        }
        catch (JsonException exception)
        {
            failure = Result.Fail($"The body is not valid JSON: {exception.Message}");
            return false;
        }
    }

    static Result Build(string? domains, string? name, string? url, string? referrer, bool hashMode, bool interactive, int? screenWidth,
        JsonElement? props, JsonElement? revenue, int? scrollDepth, int? engagement, JsonElement? timestamp, string? ip, string? userAgent,
        string revenueAmountKey = "amount")
    {
        if (string.IsNullOrWhiteSpace(domains)) return Result.Fail("'domain' (d) is required.");
        var domainList = domains.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (domainList.Length == 0 || domainList.Length > EventLimits.MaxDomains) return Result.Fail($"'domain' must name 1 to {EventLimits.MaxDomains} sites.");
        if (string.IsNullOrWhiteSpace(name)) return Result.Fail("'name' (n) is required.");
        if (name.Length > EventLimits.MaxNameLength) return Result.Fail($"'name' is longer than {EventLimits.MaxNameLength} characters.");
        if (string.IsNullOrWhiteSpace(url)) return Result.Fail("'url' (u) is required.");
        if (url.Length > EventLimits.MaxUrlLength) return Result.Fail($"'url' is longer than {EventLimits.MaxUrlLength} characters.");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var pageUrl) || string.IsNullOrEmpty(pageUrl.Host))
            return Result.Fail("'url' must be an absolute URL with a host, e.g. https://shop.example/pricing.");
        Uri? referrerUrl = null;
        if (!string.IsNullOrWhiteSpace(referrer))
        {
            if (referrer.Length > EventLimits.MaxReferrerLength) return Result.Fail($"'referrer' is longer than {EventLimits.MaxReferrerLength} characters.");
            // An unparseable referrer is a browser quirk, not a client error: the event counts as direct.
            if (Uri.TryCreate(referrer, UriKind.Absolute, out var parsed) && !string.IsNullOrEmpty(parsed.Host)) referrerUrl = parsed;
        }

        var propList = new List<KeyValuePair<string, string>>();
        if (props is { } propsValue)
        {
            var error = ReadProps(propsValue, propList);
            if (error is not null) return Result.Fail(error);
        }

        decimal? revenueAmount = null;
        var currency = "";
        if (revenue is { ValueKind: not JsonValueKind.Null } revenueValue)
        {
            var error = ReadRevenue(revenueValue, revenueAmountKey, out revenueAmount, out currency);
            if (error is not null) return Result.Fail(error);
        }

        DateTimeOffset? when = null;
        if (timestamp is { ValueKind: not JsonValueKind.Null } timestampValue)
        {
            when = ReadTimestamp(timestampValue);
            if (when is null) return Result.Fail("'timestamp' must be Unix seconds or an ISO 8601 date-time, from 1970 on.");
        }
        if (ip is not null && !System.Net.IPAddress.TryParse(ip, out _)) return Result.Fail("'ip' is not an IP address.");
        if (userAgent is not null && userAgent.Length > EventLimits.MaxUserAgentLength)
            return Result.Fail($"'userAgent' is longer than {EventLimits.MaxUserAgentLength} characters.");
        if (scrollDepth is < 0 or > 100) return Result.Fail("'scroll_depth' (sd) must be between 0 and 100.");
        if (engagement is < 0) return Result.Fail("'engagement_time' (e) must not be negative.");

        return new Result(new IncomingEvent
        {
            Domains = domainList,
            Name = name.Trim(),
            Url = pageUrl,
            Referrer = referrerUrl,
            HashMode = hashMode,
            Interactive = interactive,
            ScreenWidth = screenWidth is > 0 and < 100_000 ? screenWidth : null,
            Props = propList,
            RevenueAmount = revenueAmount,
            RevenueCurrency = currency,
            ScrollDepth = scrollDepth,
            EngagementMilliseconds = engagement,
            TimestampOverride = when,
            IpOverride = ip,
            UserAgentOverride = userAgent,
        }, null);
    }

    static string? ReadProps(JsonElement element, List<KeyValuePair<string, string>> into)
    {
        if (element.ValueKind == JsonValueKind.Null) return null;
        if (element.ValueKind == JsonValueKind.String)
        {
            // The tracker may send props as a JSON-encoded string, as Plausible's does.
            var text = element.GetString()!;
            if (text.Length == 0) return null;
            try
            {
                using var inner = JsonDocument.Parse(text);
                return ReadProps(inner.RootElement.Clone(), into);
            }
            catch (JsonException)
            {
                return "'props' (p) must be a JSON object.";
            }
        }
        if (element.ValueKind != JsonValueKind.Object) return "'props' (p) must be a JSON object.";
        foreach (var property in element.EnumerateObject())
        {
            string value;
            switch (property.Value.ValueKind)
            {
                case JsonValueKind.String: value = property.Value.GetString()!; break;
                case JsonValueKind.Number: value = property.Value.GetRawText(); break;
                case JsonValueKind.True: value = "true"; break;
                case JsonValueKind.False: value = "false"; break;
                case JsonValueKind.Null: continue;
                default: return $"Property '{property.Name}' must be a string, number or boolean.";
            }
            if (property.Name.Length == 0 || property.Name.Length > EventLimits.MaxPropKeyLength)
                return $"Property names must be 1 to {EventLimits.MaxPropKeyLength} characters.";
            if (value.Length > EventLimits.MaxPropValueLength)
                return $"Property '{property.Name}' is longer than {EventLimits.MaxPropValueLength} characters.";
            if (value.Length == 0) continue;
            into.Add(new(property.Name, value));
            if (into.Count > EventLimits.MaxProps) return $"An event may carry at most {EventLimits.MaxProps} properties.";
        }
        return null;
    }

    static string? ReadRevenue(JsonElement element, string amountKey, out decimal? amount, out string currency)
    {
        amount = null;
        currency = "";
        if (element.ValueKind == JsonValueKind.String)
        {
            try
            {
                using var inner = JsonDocument.Parse(element.GetString()!);
                return ReadRevenue(inner.RootElement.Clone(), amountKey, out amount, out currency);
            }
            catch (JsonException)
            {
                return "'revenue' ($) must be an object {amount, currency}.";
            }
        }
        if (element.ValueKind != JsonValueKind.Object) return "'revenue' ($) must be an object {amount, currency}.";
        var amountElement = Property(element, amountKey, null);
        decimal parsed;
        if (amountElement is { ValueKind: JsonValueKind.Number } number && number.TryGetDecimal(out parsed)) { }
        else if (amountElement is { ValueKind: JsonValueKind.String } text
                 && decimal.TryParse(text.GetString(), NumberStyles.Number, CultureInfo.InvariantCulture, out parsed)) { }
        else return "'revenue.amount' must be a number.";
        if (parsed < -1_000_000_000_000m || parsed > 1_000_000_000_000m) return "'revenue.amount' is out of range.";
        var code = String(element, "currency", null)?.Trim().ToUpperInvariant();
        if (code is null || code.Length != 3 || !code.All(char.IsAsciiLetterUpper)) return "'revenue.currency' must be a 3-letter ISO 4217 code such as EUR.";
        amount = decimal.Round(parsed, 6);
        currency = code;
        return null;
    }

    static DateTimeOffset? ReadTimestamp(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out var number)) return FromUnix(number);
        if (element.ValueKind == JsonValueKind.String)
        {
            var text = element.GetString()!;
            if (double.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var digits)) return FromUnix(digits);
            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)
                && parsed >= DateTimeOffset.UnixEpoch)
                return parsed;
        }
        return null;
    }

    // Unix seconds; values this large can only be milliseconds. Past year 9999 is no date (and no 500).
    static DateTimeOffset? FromUnix(double number)
    {
        var milliseconds = number > 100_000_000_000 ? number : number * 1000;
        if (milliseconds is < 0 or > 253_402_300_799_000 || double.IsNaN(milliseconds)) return null;
        return DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(milliseconds));
    }

    static JsonElement? Property(JsonElement obj, string shortName, string? longName)
    {
        if (obj.TryGetProperty(shortName, out var value)) return value;
        if (longName is not null && obj.TryGetProperty(longName, out value)) return value;
        return null;
    }

    static string? String(JsonElement obj, string shortName, string? longName) => Property(obj, shortName, longName) switch
    {
        { ValueKind: JsonValueKind.String } s => s.GetString(),
        { ValueKind: JsonValueKind.Number } n => n.GetRawText(),
        _ => null,
    };

    static bool Flag(JsonElement? element) => element switch
    {
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.Number } n => n.TryGetInt32(out var i) && i != 0,
        { ValueKind: JsonValueKind.String } s => s.GetString() is "1" or "true",
        _ => false,
    };

    static int? Integer(JsonElement? element) => element switch
    {
        { ValueKind: JsonValueKind.Number } n when n.TryGetDouble(out var d) && d is >= int.MinValue and <= int.MaxValue => (int)Math.Round(d),
        { ValueKind: JsonValueKind.String } s when int.TryParse(s.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) => i,
        _ => null,
    };
}
