using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Panorama.Core.Reports;
using Panorama.Core.Reports.Query;

namespace Panorama.Web.Stats;

/// <summary>Writes a <see cref="QueryResponse"/> in Plausible's v2 response shape, or as CSV.</summary>
public static class QueryJson
{
    public static JsonObject Write(QueryResponse response, JsonObject requestEcho)
    {
        var query = response.Query;
        var results = new JsonArray();
        foreach (var row in response.Results)
        {
            var item = new JsonObject
            {
                ["metrics"] = new JsonArray(row.Metrics.Select(Value).ToArray()),
                ["dimensions"] = new JsonArray(row.Dimensions.Select((d, i) => (JsonNode?)DimensionValue(query.Dimensions[i], d)).ToArray()),
            };
            if (row.Comparison is { } comparison)
            {
                item["comparison"] = new JsonObject
                {
                    ["dimensions"] = new JsonArray(comparison.Dimensions.Select((d, i) => (JsonNode?)DimensionValue(query.Dimensions[i], d)).ToArray()),
                    ["metrics"] = new JsonArray(comparison.Metrics.Select(Value).ToArray()),
                    ["change"] = new JsonArray(comparison.Change.Select(c => c is null ? null : (JsonNode)JsonValue.Create(c.Value)).ToArray()),
                };
            }
            results.Add(item);
        }
        var meta = new JsonObject();
        if (response.TimeLabels is not null) meta["time_labels"] = new JsonArray(response.TimeLabels.Select(l => (JsonNode?)l).ToArray());
        if (response.TotalRows is not null) meta["total_rows"] = response.TotalRows;
        if (response.ComparisonRange is not null) meta["comparison_date_range"] = Range(response.ComparisonRange, query.TimeZone);
        if (query.ImportsRequested)
        {
            meta["imports_included"] = false;
            meta["imports_skip_reason"] = "no_imported_data";
        }
        if (query.Metrics.Any(m => m is Metric.TotalRevenue or Metric.AverageRevenue))
            meta["revenue_note"] = "Revenue is summed per currency; a total over events in several currencies is null. Filter by a revenue goal to get one currency.";

        requestEcho["date_range"] = Range(query.Range, query.TimeZone);
        requestEcho["pagination"] = new JsonObject { ["limit"] = query.Limit, ["offset"] = query.Offset };
        return new JsonObject { ["results"] = results, ["meta"] = meta, ["query"] = requestEcho };
    }

    /// <summary>The range as local ISO date-times of the site, end exclusive.</summary>
    static JsonArray Range(DateRange range, TimeZoneInfo zone)
    {
        string Local(DateTime utc)
        {
            var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone);
            return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
        }
        return new JsonArray(Local(range.From), Local(range.To));
    }

    static string DimensionValue(Dimension dimension, string value) =>
        dimension.IsCountryName ? CountryNames.Of(value) : value;

    internal static JsonNode? Value(object? value) => value switch
    {
        null => null,
        Money money => new JsonObject { ["value"] = money.Value, ["currency"] = money.Currency },
        long l => l,
        double d => d,
        _ => JsonValue.Create(value.ToString()),
    };

    public static string Csv(QueryResponse response)
    {
        var query = response.Query;
        var csv = new StringBuilder();
        var header = query.Dimensions.Select(d => d.Name).Concat(query.Metrics.Select(MetricNames.Name));
        csv.AppendLine(string.Join(',', header.Select(Quote)));
        foreach (var row in response.Results)
        {
            var cells = row.Dimensions.Select((d, i) => DimensionValue(query.Dimensions[i], d))
                .Concat(row.Metrics.Select(m => m switch
                {
                    null => "",
                    Money money => money.Value.ToString(CultureInfo.InvariantCulture) + " " + money.Currency,
                    IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
                    _ => m.ToString() ?? "",
                }));
            csv.AppendLine(string.Join(',', cells.Select(Quote)));
        }
        return csv.ToString();
    }

    // Cells starting with a formula character are prefixed so spreadsheets do not execute them.
    static string Quote(string cell)
    {
        if (cell.Length > 0 && cell[0] is '=' or '+' or '-' or '@' && !double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out _)) cell = "'" + cell;
        return cell.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + cell.Replace("\"", "\"\"") + "\"" : cell;
    }
}
