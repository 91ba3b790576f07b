using System.Globalization;
using System.Text;

namespace Panorama.Core.Spend;

/// <summary>A spend file was rejected; every problem names its line.</summary>
public sealed class SpendImportException(IReadOnlyList<string> errors) : Exception(string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}

/// <summary>
/// Reads spend exports: a CSV with a header naming date, channel, campaign, cost, currency and optionally clicks and
/// impressions (English or Russian column names, comma, semicolon or tab separated, UTF-8 or Windows-1251 as Yandex
/// Direct writes it). Every row is checked; any problem rejects the whole file, so nothing is half-applied.
/// </summary>
public static class SpendImport
{
    static readonly HashSet<string> Currencies = CultureInfo.GetCultures(CultureTypes.SpecificCultures)
        .Select(culture => { try { return new RegionInfo(culture.Name).ISOCurrencySymbol; } catch (ArgumentException) { return null; } })
        .OfType<string>().ToHashSet(StringComparer.Ordinal);

    public static string Decode(byte[] bytes)
    {
        try
        {
            return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes).TrimStart('\uFEFF');
        }
        catch (DecoderFallbackException)
        {
            // Not UTF-8: Russian ad platforms export Windows-1251.
            Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
            return Encoding.GetEncoding(1251).GetString(bytes);
        }
    }

    /// <summary>
    /// Parses a whole file. <paramref name="channel"/> names the channel for files without a channel column; exports of
    /// Google Ads and Yandex Direct default to Paid Search, VK Ads to Paid Social.
    /// </summary>
    public static IReadOnlyList<SpendRow> Parse(byte[] file, int siteId, string? channel = null) => Read(file, siteId, channel).Rows;

    /// <summary>Parses a whole file and says which platform's export it was read as.</summary>
    public static (IReadOnlyList<SpendRow> Rows, string Platform) Read(byte[] file, int siteId, string? channel = null)
    {
        var lines = Decode(file).Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var errors = new List<string>();
        if (lines.All(l => l.Trim().Length == 0)) throw new SpendImportException(["line 1: the file is empty."]);
        // Platforms put a report title and a date range above the header: the header is the first line naming a date and a cost.
        var separator = ',';
        SpendFormat? format = null;
        var headerIndex = -1;
        foreach (var (line, index) in lines.Select((l, i) => (l, i)).Where(x => x.l.Trim().Length > 0).Take(10))
        {
            var candidate = new[] { '\t', ';', ',' }.MaxBy(c => line.Count(ch => ch == c));
            if (SpendFormat.FromHeader(Split(line, candidate)) is { } found) { (separator, format, headerIndex) = (candidate, found, index); break; }
        }
        if (format is null)
        {
            var first = Array.FindIndex(lines, l => l.Trim().Length > 0) + 1;
            throw new SpendImportException([$"line {first}: no header with a date and a cost column in the first lines."]);
        }
        var header = format.Columns.ToList();
        var defaultChannel = string.IsNullOrWhiteSpace(channel) ? format.DefaultChannel : channel.Trim();
        if (!header.Contains("channel") && defaultChannel is null) errors.Add($"line {headerIndex + 1}: the header has no 'channel' column.");
        if (!header.Contains("campaign")) errors.Add($"line {headerIndex + 1}: the header has no 'campaign' column.");
        if (!header.Contains("currency") && format.HeaderCurrency is null) errors.Add($"line {headerIndex + 1}: the header has no 'currency' column.");
        if (errors.Count > 0) throw new SpendImportException(errors);

        var rows = new List<SpendRow>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = headerIndex + 1; i < lines.Length; i++)
        {
            if (lines[i].Trim().Length == 0) continue;
            var number = i + 1;
            var cells = Split(lines[i], separator);
            if (SpendFormat.IsTotal(cells[0])) continue;
            string Cell(string name) => header.IndexOf(name) is var index and >= 0 && index < cells.Count ? cells[index].Trim() : "";
            var rowChannel = header.Contains("channel") ? Cell("channel") : defaultChannel!;
            var rowErrors = errors.Count;
            if (!TryDate(Cell("date"), out var day)) errors.Add($"line {number}: date: '{Cell("date")}' is not a date (YYYY-MM-DD or DD.MM.YYYY).");
            if (rowChannel.Length is 0 or > 100) errors.Add($"line {number}: channel: is required (at most 100 characters).");
            var campaign = Cell("campaign");
            if (campaign.Length > 300) errors.Add($"line {number}: campaign: longer than 300 characters.");
            if (!TryAmount(Cell("cost"), out var cost) || cost < 0) errors.Add($"line {number}: cost: '{Cell("cost")}' is not an amount of zero or more.");
            var currency = header.Contains("currency") ? Cell("currency").ToUpperInvariant() : format.HeaderCurrency!;
            if (currency == "RUR") currency = "RUB"; // Yandex's legacy code for the rouble
            if (!Currencies.Contains(currency)) errors.Add($"line {number}: currency: '{Cell("currency")}' is not an ISO 4217 currency code.");
            long? clicks = null, impressions = null;
            if (Cell("clicks") is { Length: > 0 } c) { if (TryCount(c, out var v)) clicks = v; else errors.Add($"line {number}: clicks: '{c}' is not a count."); }
            if (Cell("impressions") is { Length: > 0 } m) { if (TryCount(m, out var v)) impressions = v; else errors.Add($"line {number}: impressions: '{m}' is not a count."); }
            if (errors.Count > rowErrors) continue;
            var campaignName = campaign.Length == 0 ? "(none)" : campaign;
            var key = $"{siteId}|{day:yyyy-MM-dd}|{rowChannel}|{campaignName}|{currency}";
            if (seen.TryGetValue(key, out var first))
            {
                errors.Add($"line {number}: the same day, channel, campaign and currency as line {first}.");
                continue;
            }
            seen[key] = number;
            rows.Add(new SpendRow
            {
                SiteId = siteId, Day = day, Channel = rowChannel, Campaign = campaignName, Cost = cost, Currency = currency, Clicks = clicks,
                Impressions = impressions, RowKey = key,
            });
        }
        if (errors.Count > 0) throw new SpendImportException(errors);
        return (rows, format.Platform);
    }

    // Google Ads writes "2026-11-01" or "Nov 1, 2026"; Yandex Direct and VK Ads "01.11.2026".
    static bool TryDate(string text, out DateOnly day) =>
        DateOnly.TryParseExact(text.Trim('"'), ["yyyy-MM-dd", "dd.MM.yyyy", "MMM d, yyyy", "d MMM yyyy", "MMMM d, yyyy"], CultureInfo.InvariantCulture,
            DateTimeStyles.None, out day);

    /// <summary>"1,234" (Google Ads), "1 234" (Russian exports) and "-" (Yandex Direct's none) are counts.</summary>
    static bool TryCount(string text, out long count)
    {
        var normalized = text.Replace("\u00A0", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal).Replace(",", "", StringComparison.Ordinal);
        if (normalized is "-" or "--" or "—") { count = 0; return true; }
        return long.TryParse(normalized, NumberStyles.None, CultureInfo.InvariantCulture, out count);
    }

    static bool TryAmount(string text, out decimal amount)
    {
        if (text is "-" or "--" or "—") { amount = 0; return true; }
        // "1 234,50" (Russian exports) and "1234.50" both mean the same amount.
        var normalized = text.Replace("\u00A0", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
        if (normalized.Contains(',', StringComparison.Ordinal) && !normalized.Contains('.', StringComparison.Ordinal)) normalized = normalized.Replace(',', '.');
        return decimal.TryParse(normalized, NumberStyles.Number, CultureInfo.InvariantCulture, out amount);
    }

    /// <summary>Splits one CSV line, honouring double-quoted cells (with "" for a quote).</summary>
    static List<string> Split(string line, char separator)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { cell.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else cell.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == separator) { cells.Add(cell.ToString()); cell.Clear(); }
            else cell.Append(c);
        }
        cells.Add(cell.ToString());
        return cells;
    }
}
