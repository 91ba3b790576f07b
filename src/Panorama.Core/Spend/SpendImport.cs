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
    static readonly Dictionary<string, string> Columns = new(StringComparer.OrdinalIgnoreCase)
    {
        ["date"] = "date", ["day"] = "date", ["дата"] = "date", ["день"] = "date",
        ["channel"] = "channel", ["канал"] = "channel",
        ["campaign"] = "campaign", ["utm_campaign"] = "campaign", ["кампания"] = "campaign",
        ["cost"] = "cost", ["spend"] = "cost", ["amount"] = "cost", ["расход"] = "cost", ["стоимость"] = "cost",
        ["currency"] = "currency", ["валюта"] = "currency",
        ["clicks"] = "clicks", ["клики"] = "clicks",
        ["impressions"] = "impressions", ["показы"] = "impressions",
    };

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

    public static IReadOnlyList<SpendRow> Parse(byte[] file, int siteId)
    {
        var lines = Decode(file).Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var errors = new List<string>();
        var headerIndex = Array.FindIndex(lines, l => l.Trim().Length > 0);
        if (headerIndex < 0) throw new SpendImportException(["line 1: the file is empty."]);
        var separator = new[] { '\t', ';', ',' }.MaxBy(c => lines[headerIndex].Count(ch => ch == c));
        var header = Split(lines[headerIndex], separator).Select(h => Columns.GetValueOrDefault(h.Trim().Trim('"'), "")).ToList();
        foreach (var required in new[] { "date", "channel", "campaign", "cost", "currency" })
            if (!header.Contains(required)) errors.Add($"line {headerIndex + 1}: the header has no '{required}' column.");
        if (errors.Count > 0) throw new SpendImportException(errors);

        var rows = new List<SpendRow>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = headerIndex + 1; i < lines.Length; i++)
        {
            if (lines[i].Trim().Length == 0) continue;
            var number = i + 1;
            var cells = Split(lines[i], separator);
            string Cell(string name) => header.IndexOf(name) is var index and >= 0 && index < cells.Count ? cells[index].Trim() : "";
            var rowErrors = errors.Count;
            if (!TryDate(Cell("date"), out var day)) errors.Add($"line {number}: date: '{Cell("date")}' is not a date (YYYY-MM-DD or DD.MM.YYYY).");
            var channel = Cell("channel");
            if (channel.Length is 0 or > 100) errors.Add($"line {number}: channel: is required (at most 100 characters).");
            var campaign = Cell("campaign");
            if (campaign.Length > 300) errors.Add($"line {number}: campaign: longer than 300 characters.");
            if (!TryAmount(Cell("cost"), out var cost) || cost < 0) errors.Add($"line {number}: cost: '{Cell("cost")}' is not an amount of zero or more.");
            var currency = Cell("currency").ToUpperInvariant();
            if (!Currencies.Contains(currency)) errors.Add($"line {number}: currency: '{Cell("currency")}' is not an ISO 4217 currency code.");
            long? clicks = null, impressions = null;
            if (Cell("clicks") is { Length: > 0 } c) { if (long.TryParse(c, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= 0) clicks = v; else errors.Add($"line {number}: clicks: '{c}' is not a count."); }
            if (Cell("impressions") is { Length: > 0 } m) { if (long.TryParse(m, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= 0) impressions = v; else errors.Add($"line {number}: impressions: '{m}' is not a count."); }
            if (errors.Count > rowErrors) continue;
            var campaignName = campaign.Length == 0 ? "(none)" : campaign;
            var key = $"{siteId}|{day:yyyy-MM-dd}|{channel}|{campaignName}|{currency}";
            if (seen.TryGetValue(key, out var first))
            {
                errors.Add($"line {number}: the same day, channel, campaign and currency as line {first}.");
                continue;
            }
            seen[key] = number;
            rows.Add(new SpendRow
            {
                SiteId = siteId, Day = day, Channel = channel, Campaign = campaignName, Cost = cost, Currency = currency, Clicks = clicks,
                Impressions = impressions, RowKey = key,
            });
        }
        if (errors.Count > 0) throw new SpendImportException(errors);
        return rows;
    }

    static bool TryDate(string text, out DateOnly day) =>
        DateOnly.TryParseExact(text, ["yyyy-MM-dd", "dd.MM.yyyy"], CultureInfo.InvariantCulture, DateTimeStyles.None, out day);

    static bool TryAmount(string text, out decimal amount)
    {
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
