using DuckDB.NET.Data;
using Panorama.Core.Reports;
using Panorama.Core.Reports.Query;
using Panorama.Storage.DuckDb.Query;

namespace Panorama.Storage.DuckDb;

public sealed partial class DuckDbEventStore : IQueryEngine
{
    public Task<StoreResult> QueryAsync(StoreQuery query, CancellationToken cancellationToken)
    {
        using var connection = Open();
        if (DuckDbQuerySql.PagesFromDays(query))
        {
            // One transaction: the horizon, the page days and the edge hours' events are read from one snapshot.
            using var transaction = connection.BeginTransaction();
            var days = new DuckDbQuerySql(query);
            if (days.BuildPagesFromDays(PageDaysHorizon(connection)) is var (edges, pages))
            {
                using (var gather = Command(connection, edges, days.Parameters)) gather.ExecuteNonQuery();
                using var command = Command(connection, pages, days.Parameters);
                using var reader = command.ExecuteReader();
                return Task.FromResult(ReadResult(reader, query));
            }
        }
        var builder = new DuckDbQuerySql(query);
        using (var command = Command(connection, builder.Build(), builder.Parameters))
        using (var reader = command.ExecuteReader())
            return Task.FromResult(ReadResult(reader, query));
    }

    static DuckDBCommand Command(DuckDBConnection connection, string sql, IEnumerable<DuckDBParameter> parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var parameter in parameters) command.Parameters.Add(parameter);
        return command;
    }

    static StoreResult ReadResult(DuckDBDataReader reader, StoreQuery query)
    {
        var rows = new List<QueryRow>();
        long totalRows = 0;
        var dimensions = query.Dimensions.Count;
        int Ordinal(string name) => reader.GetOrdinal(name);
        while (reader.Read())
        {
            var values = new string[dimensions];
            for (var i = 0; i < dimensions; i++)
            {
                var value = reader.IsDBNull(i) ? null : reader.GetValue(i);
                values[i] = value switch
                {
                    null => "",
                    DateTime bucket => TimeBuckets.Format(bucket, query.Dimensions[i].Grain ?? TimeBuckets.Auto(query.Range)),
                    _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!,
                };
            }
            string? low = reader.IsDBNull(Ordinal("currency_low")) ? null : reader.GetString(Ordinal("currency_low"));
            string? high = reader.IsDBNull(Ordinal("currency_high")) ? null : reader.GetString(Ordinal("currency_high"));
            var total = reader.IsDBNull(Ordinal("total_revenue")) ? (decimal?)null : reader.GetDecimal(Ordinal("total_revenue"));
            var average = reader.IsDBNull(Ordinal("average_revenue")) ? (decimal?)null : Convert.ToDecimal(reader.GetValue(Ordinal("average_revenue")));
            // Amounts in different currencies are never added up: a mixed total is reported as unknown.
            var currency = low is not null && low == high ? low : null;
            var metrics = new Dictionary<Metric, object?>
            {
                [Metric.Visitors] = Convert.ToInt64(reader.GetValue(Ordinal("visitors"))),
                [Metric.Visits] = Convert.ToInt64(reader.GetValue(Ordinal("visits"))),
                [Metric.Pageviews] = Convert.ToInt64(reader.GetValue(Ordinal("pageviews"))),
                [Metric.Events] = Convert.ToInt64(reader.GetValue(Ordinal("events"))),
                [Metric.ViewsPerVisit] = Convert.ToDouble(reader.GetValue(Ordinal("views_per_visit"))),
                [Metric.BounceRate] = Convert.ToDouble(reader.GetValue(Ordinal("bounce_rate"))),
                [Metric.VisitDuration] = Convert.ToInt64(reader.GetValue(Ordinal("visit_duration"))),
                [Metric.TotalRevenue] = total is { } t && currency is not null ? new Money(decimal.Round(t, 2), currency) : null,
                [Metric.AverageRevenue] = average is { } a && currency is not null ? new Money(decimal.Round(a, 2), currency) : null,
            };
            totalRows = reader.GetInt64(Ordinal("total_rows"));
            rows.Add(new QueryRow(values, metrics));
        }
        return new StoreResult(rows, totalRows);
    }

    public Task<IReadOnlyDictionary<string, PageEngagement>> PageEngagementAsync(StoreQuery query, CancellationToken cancellationToken)
    {
        using var connection = Open();
        var sql = new DuckDbQuerySql(query);
        using var command = Command(connection, sql.BuildPageEngagement(), sql.Parameters);
        using var reader = command.ExecuteReader();
        var result = new Dictionary<string, PageEngagement>(StringComparer.Ordinal);
        while (reader.Read())
        {
            result[reader.GetString(0)] = new PageEngagement(reader.GetDouble(1), reader.GetInt64(2), reader.GetDouble(3), reader.GetInt64(4));
        }
        return Task.FromResult<IReadOnlyDictionary<string, PageEngagement>>(result);
    }

    public Task<IReadOnlyList<Core.Attribution.ConversionPath>> ConversionPathsAsync(int siteId, DateRange range, Core.Goals.Goal goal, TimeSpan lookback, CancellationToken cancellationToken)
    {
        var builder = new DuckDbQuerySql(new StoreQuery { SiteId = siteId, TimeZone = TimeZoneInfo.Utc, Range = range, Metrics = [Metric.Events], Goals = [goal] });
        var sql = builder.BuildConversionPaths(goal, lookback);
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var parameter in builder.Parameters) command.Parameters.Add(parameter);
        using var reader = command.ExecuteReader();
        var paths = new List<Core.Attribution.ConversionPath>();
        static List<T> Items<T>(object value) => ((System.Collections.IEnumerable)value).Cast<T>().ToList();
        while (reader.Read())
        {
            var starts = Items<DateTime>(reader.GetValue(2));
            var channels = Items<string>(reader.GetValue(3));
            var campaigns = Items<string>(reader.GetValue(4));
            var touches = starts.Select((start, i) => new Core.Attribution.Touch(start, channels[i], campaigns[i])).ToList();
            paths.Add(new Core.Attribution.ConversionPath(reader.GetDateTime(0), Convert.ToDecimal(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture), touches));
        }
        return Task.FromResult<IReadOnlyList<Core.Attribution.ConversionPath>>(paths);
    }

    public Task<IReadOnlyList<string>> PropertyKeysAsync(int siteId, DateRange range, CancellationToken cancellationToken)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT key FROM (SELECT unnest(prop_keys) AS key FROM events
                             WHERE site_id = $site AND ts >= $from AND ts < $to AND prop_keys IS NOT NULL)
            GROUP BY key ORDER BY count(*) DESC, key LIMIT 100
            """;
        command.Parameters.Add(new DuckDB.NET.Data.DuckDBParameter("site", siteId));
        command.Parameters.Add(new DuckDB.NET.Data.DuckDBParameter("from", range.From));
        command.Parameters.Add(new DuckDB.NET.Data.DuckDBParameter("to", range.To));
        using var reader = command.ExecuteReader();
        var keys = new List<string>();
        while (reader.Read()) keys.Add(reader.GetString(0));
        return Task.FromResult<IReadOnlyList<string>>(keys);
    }

    // Every report asks for it (the "all" range), and min(ts) of one site scans every site's rows: keep it, lowered
    // as events arrive. A site without events is kept as DateOnly.MaxValue, which its first event lowers.
    readonly System.Collections.Concurrent.ConcurrentDictionary<int, DateOnly> firstDays = new();
    long appends;

    /// <summary>Lowers a known first day when earlier events arrive; an unknown one is left to the next query (the store may hold older days).</summary>
    void NoteAppendedDay(int siteId, DateOnly day)
    {
        Interlocked.Increment(ref appends);
        while (firstDays.TryGetValue(siteId, out var known) && day < known && !firstDays.TryUpdate(siteId, day, known)) { }
    }

    public Task<DateOnly?> FirstDayAsync(int siteId, CancellationToken cancellationToken)
    {
        if (!firstDays.TryGetValue(siteId, out var known))
        {
            var appendsBefore = Interlocked.Read(ref appends);
            using var connection = Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT min(ts) FROM events WHERE site_id = $site";
            command.Parameters.Add(new DuckDB.NET.Data.DuckDBParameter("site", siteId));
            var stored = command.ExecuteScalar() is DateTime first ? DateOnly.FromDateTime(first) : DateOnly.MaxValue;
            // An append during the query may be missing from its answer: keep the answer only when none happened.
            known = Interlocked.Read(ref appends) == appendsBefore
                ? firstDays.AddOrUpdate(siteId, stored, (_, current) => stored < current ? stored : current)
                : stored;
        }
        return Task.FromResult(known == DateOnly.MaxValue ? null : (DateOnly?)known);
    }

    public Task<IReadOnlyList<long>> FunnelReachAsync(StoreQuery query, IReadOnlyList<FunnelStep> steps, CancellationToken cancellationToken)
    {
        var builder = new DuckDbQuerySql(query);
        var sql = builder.BuildFunnel(steps);
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var parameter in builder.Parameters) command.Parameters.Add(parameter);
        using var reader = command.ExecuteReader();
        reader.Read();
        return Task.FromResult<IReadOnlyList<long>>(Enumerable.Range(0, steps.Count).Select(reader.GetInt64).ToArray());
    }
}
