using System.Text.RegularExpressions;

namespace Panorama.Core.Spend;

/// <summary>
/// What a spend file's header says: which column holds what, the ad platform that wrote it (which implies the channel
/// when the file has none) and the currency when the cost column names it ("Расход (руб.)", "Потрачено, ₽").
/// </summary>
public sealed record SpendFormat(string Platform, IReadOnlyList<string> Columns, string? DefaultChannel, string? HeaderCurrency)
{
    static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["date"] = "date", ["day"] = "date", ["дата"] = "date", ["день"] = "date",
        ["channel"] = "channel", ["канал"] = "channel",
        ["campaign"] = "campaign", ["utm_campaign"] = "campaign", ["кампания"] = "campaign", ["campaign name"] = "campaign",
        ["название кампании"] = "campaign", ["campaignname"] = "campaign",
        ["cost"] = "cost", ["spend"] = "cost", ["amount"] = "cost", ["расход"] = "cost", ["стоимость"] = "cost", ["потрачено"] = "cost",
        ["списано"] = "cost", ["amount spent"] = "cost",
        ["currency"] = "currency", ["валюта"] = "currency", ["currency code"] = "currency",
        ["clicks"] = "clicks", ["клики"] = "clicks",
        ["impressions"] = "impressions", ["impr."] = "impressions", ["показы"] = "impressions",
    };

    static readonly (Regex Pattern, string Code)[] CurrencyMarks =
    [
        (new(@"руб|₽|\bRUB\b|\bRUR\b", RegexOptions.IgnoreCase), "RUB"), (new(@"\$|\bUSD\b", RegexOptions.IgnoreCase), "USD"),
        (new(@"€|\bEUR\b", RegexOptions.IgnoreCase), "EUR"), (new(@"₸|тенге|\bKZT\b", RegexOptions.IgnoreCase), "KZT"),
        (new(@"\bBYN\b|бел\.?\s*руб", RegexOptions.IgnoreCase), "BYN"), (new(@"₴|грн|\bUAH\b", RegexOptions.IgnoreCase), "UAH"),
        (new(@"\bTRY\b|₺", RegexOptions.IgnoreCase), "TRY"), (new(@"\bGBP\b|£", RegexOptions.IgnoreCase), "GBP"),
    ];

    /// <summary>Reads a header row; null when it lacks a date or a cost column (a title line above the header, say).</summary>
    public static SpendFormat? FromHeader(IReadOnlyList<string> cells)
    {
        string? currency = null;
        var columns = new List<string>();
        foreach (var raw in cells)
        {
            var cell = raw.Trim().Trim('"').Trim();
            // "Расход (руб.)", "Потрачено, ₽", "Cost (USD)": the name before the bracket or comma, the currency in it.
            var name = Regex.Replace(cell, @"\s*[,(].*$", "");
            var column = Aliases.GetValueOrDefault(cell) ?? Aliases.GetValueOrDefault(name) ?? "";
            if (column == "cost" && cell.Length > name.Length)
                currency ??= CurrencyMarks.FirstOrDefault(mark => mark.Pattern.IsMatch(cell[name.Length..])).Code;
            columns.Add(column);
        }
        if (!columns.Contains("date") || !columns.Contains("cost")) return null;
        var text = string.Join('|', cells);
        var (platform, channel) =
            text.Contains("Impr.", StringComparison.Ordinal) || text.Contains("Currency code", StringComparison.OrdinalIgnoreCase) ? ("Google Ads", "Paid Search")
            : text.Contains("Потрачено", StringComparison.OrdinalIgnoreCase) || text.Contains("Списано", StringComparison.OrdinalIgnoreCase) ? ("VK Ads", "Paid Social")
            : text.Contains("Расход (", StringComparison.OrdinalIgnoreCase) || text.Contains("CampaignName", StringComparison.Ordinal) ? ("Yandex Direct", "Paid Search")
            : ("CSV", null);
        return new SpendFormat(platform, columns, channel, currency);
    }

    /// <summary>Rows that platforms append with totals ("Total: Campaigns", "Итого", "Total rows: 30"), not spend of a day.</summary>
    public static bool IsTotal(string firstCell)
    {
        var cell = firstCell.Trim().Trim('"');
        return cell.StartsWith("Total", StringComparison.OrdinalIgnoreCase) || cell.StartsWith("Итого", StringComparison.OrdinalIgnoreCase)
            || cell.StartsWith("Всего", StringComparison.OrdinalIgnoreCase);
    }
}
