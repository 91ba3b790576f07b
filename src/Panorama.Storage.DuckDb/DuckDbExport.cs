using DuckDB.NET.Data;
using Panorama.Core.Ingestion;

namespace Panorama.Storage.DuckDb;

/// <summary>Reading the stored events back out, in sequence order, for moving an install to ClickHouse.</summary>
public sealed partial class DuckDbEventStore
{
    /// <summary>
    /// Every event with a sequence above <paramref name="afterSequence"/>, streamed in slices of <paramref name="slice"/>
    /// sequence numbers, slice after slice. A slice is not sorted inside (events are appended in sequence order, so
    /// each slice reads few row groups, and no sort of the table holds the first rows back): whoever resumes by the
    /// highest sequence copied must store each slice whole or not at all, as <c>EventMigration</c> does.
    /// </summary>
    public IEnumerable<List<EnrichedEvent>> ReadEventSlices(long afterSequence, long slice = 200_000)
    {
        using var connection = Open();
        long last;
        using (var bounds = connection.CreateCommand())
        {
            bounds.CommandText = "SELECT coalesce(max(seq), 0) FROM events";
            last = Convert.ToInt64(bounds.ExecuteScalar());
        }
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT site_id, ts, seq, visitor_id, name, pathname, hostname, referrer, source, channel, utm_source, utm_medium, utm_campaign,
                   utm_content, utm_term, browser, browser_version, os, os_version, device, screen, country, region, city, prop_keys, prop_values,
                   revenue_amount, revenue_currency, engagement_ms, scroll_depth, interactive
            FROM events WHERE seq > $after AND seq <= $until
            """;
        for (var from = afterSequence; from < last; from += slice)
        {
            command.Parameters.Clear();
            command.Parameters.Add(new DuckDBParameter("after", from));
            command.Parameters.Add(new DuckDBParameter("until", from + slice));
            var events = new List<EnrichedEvent>();
            using (var reader = command.ExecuteReader())
                while (reader.Read()) events.Add(Event(reader));
            if (events.Count > 0) yield return events;
        }
    }

    static EnrichedEvent Event(DuckDBDataReader reader)
    {
        string Text(int i) => reader.IsDBNull(i) ? "" : reader.GetString(i);
        string[] Strings(int i) => reader.IsDBNull(i) ? [] : reader.GetFieldValue<List<string?>>(i).Select(v => v ?? "").ToArray();
        return new EnrichedEvent
        {
            SiteId = reader.GetInt32(0), Timestamp = DateTime.SpecifyKind(reader.GetDateTime(1), DateTimeKind.Utc), Sequence = reader.GetInt64(2),
            // The embedded store joined visits across midnight as they loaded: its ids need no second join.
            VisitorId = reader.GetInt64(3), PreviousDayVisitorId = reader.GetInt64(3), Name = reader.GetString(4), Pathname = reader.GetString(5), Hostname = reader.GetString(6),
            Referrer = Text(7), Source = reader.GetString(8), Channel = reader.GetString(9), UtmSource = Text(10), UtmMedium = Text(11),
            UtmCampaign = Text(12), UtmContent = Text(13), UtmTerm = Text(14), Browser = reader.GetString(15), BrowserVersion = Text(16),
            OperatingSystem = reader.GetString(17), OperatingSystemVersion = Text(18), Device = reader.GetString(19), Screen = Text(20),
            Country = Text(21), Region = Text(22), City = Text(23), PropKeys = Strings(24), PropValues = Strings(25),
            RevenueAmount = reader.IsDBNull(26) ? null : reader.GetDecimal(26), RevenueCurrency = Text(27),
            EngagementMilliseconds = reader.IsDBNull(28) ? null : reader.GetInt32(28), ScrollDepth = reader.IsDBNull(29) ? null : reader.GetInt16(29),
            Interactive = reader.GetBoolean(30),
        };
    }

    /// <summary>Events per site and UTC day, to verify a copy.</summary>
    public Dictionary<(int SiteId, DateOnly Day), long> CountsPerSiteAndDay()
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT site_id, ts::DATE, count(*) FROM events GROUP BY ALL";
        using var reader = command.ExecuteReader();
        var counts = new Dictionary<(int, DateOnly), long>();
        while (reader.Read()) counts[(reader.GetInt32(0), DateOnly.FromDateTime(reader.GetDateTime(1)))] = reader.GetInt64(2);
        return counts;
    }

    public long CountAll()
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM events";
        return Convert.ToInt64(command.ExecuteScalar());
    }
}
