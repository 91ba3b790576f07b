namespace Panorama.Storage.ClickHouse;

/// <summary>
/// The events table on each shard (<c>events_local</c>, MergeTree, a month per partition so retention is a
/// <c>DROP PARTITION</c>) and, for a cluster, the <c>Distributed</c> table <c>events</c> over them, sharded by visitor
/// so that all of a visitor's events — and so every visit — sit on one shard. Likewise <c>visits_local</c> and
/// <c>visits</c> for the visits built from them (<see cref="MaterializedVisits"/>), and <c>midnight_local</c> and
/// <c>midnight</c> for the events near midnight a view copies from them. Types are those 18.16 knows: time as
/// DateTime plus microseconds, money as integer micro-units, missing text as ''.
/// </summary>
public static class ClickHouseSchema
{
    /// <summary>The events' columns: <see cref="NativeEvents"/> writes them in exactly this order, with these types.</summary>
    public static readonly (string Name, string Type)[] Columns =
    [
        ("node", "UInt16"), ("seq", "Int64"), ("site_id", "UInt32"), ("ts", "DateTime('UTC')"), ("ts_us", "Int64"), ("visitor_id", "Int64"), ("prev_visitor_id", "Int64"),
        ("name", "String"), ("pathname", "String"), ("hostname", "String"), ("referrer", "String"), ("source", "String"), ("channel", "String"),
        ("utm_source", "String"), ("utm_medium", "String"), ("utm_campaign", "String"), ("utm_content", "String"), ("utm_term", "String"),
        ("browser", "String"), ("browser_version", "String"), ("os", "String"), ("os_version", "String"), ("device", "String"), ("screen", "String"),
        ("country", "String"), ("region", "String"), ("city", "String"), ("prop_keys", "Array(String)"), ("prop_values", "Array(String)"),
        ("revenue_micros", "Nullable(Int64)"), ("revenue_currency", "String"), ("engagement_ms", "Nullable(Int32)"), ("scroll_depth", "Nullable(Int16)"),
        ("interactive", "UInt8"),
    ];

    public static string ColumnList => string.Join(", ", Columns.Select(c => c.Name));

    static string OnCluster(ClickHouseOptions options) => options.Sharded ? $" ON CLUSTER {options.Cluster}" : "";

    /// <summary>The statements <c>panorama migrate</c> runs, in order; each is idempotent.</summary>
    public static IReadOnlyList<string> Statements(ClickHouseOptions options)
    {
        var statements = new List<string>
        {
            $"""
            CREATE TABLE IF NOT EXISTS {options.Database}.events_local{OnCluster(options)} (
                {string.Join(",\n    ", Columns.Select(c => $"{c.Name} {c.Type}"))}
            ) ENGINE = MergeTree()
            PARTITION BY toYYYYMM(ts)
            ORDER BY (site_id, toDate(ts), visitor_id, ts_us, node, seq)
            """,
        };
        // The events within half an hour of midnight UTC, copied by a view as they are inserted: the midnight
        // continuations (ClickHouseEventRows.Continuations) read these few rows instead of scanning the period.
        statements.Add($"""
            CREATE TABLE IF NOT EXISTS {options.Database}.midnight_local{OnCluster(options)} (
                site_id UInt32, day Date, visitor_id Int64, prev_visitor_id Int64, ts_us Int64
            ) ENGINE = MergeTree()
            PARTITION BY toYYYYMM(day)
            ORDER BY (site_id, day, visitor_id)
            """);
        statements.Add($"""
            CREATE MATERIALIZED VIEW IF NOT EXISTS {options.Database}.midnight_view{OnCluster(options)} TO {options.Database}.midnight_local
            AS {MidnightRows(options.Database + ".events_local")}
            """);
        statements.Add($"""
            CREATE TABLE IF NOT EXISTS {options.Database}.visits_local{OnCluster(options)} (
                site_id UInt32, day Date, hour UInt32, build_id UInt64,
                {string.Join(", ", Query.ClickHouseEventRows.VisitColumns.Select(c => $"{c} {VisitColumnType(c)}"))}
            ) ENGINE = MergeTree()
            PARTITION BY toYYYYMM(day)
            ORDER BY (site_id, hour, visitor_id)
            """);
        // Which build of each hour's visits is current (see MaterializedVisits); read and written on the first shard.
        statements.Add($"""
            CREATE TABLE IF NOT EXISTS {options.Database}.visit_builds{OnCluster(options)} (site_id UInt32, hour UInt32, build_id UInt64, input UInt64)
            ENGINE = MergeTree() ORDER BY (site_id, hour)
            """);
        if (options.Sharded)
        {
            statements.Add($"""
                CREATE TABLE IF NOT EXISTS {options.Database}.events{OnCluster(options)} AS {options.Database}.events_local
                ENGINE = Distributed({options.Cluster}, {options.Database}, events_local, toUInt64(visitor_id))
                """);
            statements.Add($"""
                CREATE TABLE IF NOT EXISTS {options.Database}.midnight{OnCluster(options)} AS {options.Database}.midnight_local
                ENGINE = Distributed({options.Cluster}, {options.Database}, midnight_local, toUInt64(visitor_id))
                """);
            statements.Add($"""
                CREATE TABLE IF NOT EXISTS {options.Database}.visits{OnCluster(options)} AS {options.Database}.visits_local
                ENGINE = Distributed({options.Cluster}, {options.Database}, visits_local, toUInt64(visitor_id))
                """);
        }
        return statements;
    }

    /// <summary>
    /// The rows of <c>midnight_local</c> from an events table: non-engagement events in the half hour either side of
    /// midnight UTC, with the previous-day id those after it carry.
    /// </summary>
    public static string MidnightRows(string events) => $"""
        SELECT site_id, toDate(ts) AS day, visitor_id, prev_visitor_id, ts_us FROM {events}
        WHERE name != 'engagement' AND (ts_us % 86400000000 < 1800000000 OR ts_us % 86400000000 >= 84600000000)
        """;

    static string VisitColumnType(string column) => column switch
    {
        "visitor_id" or "v_started" or "v_ended" or "v_duration" => "Int64",
        "v_pageviews" => "UInt32",
        "v_bounce" => "UInt8",
        _ => "String",
    };

    /// <summary>The shard a visitor's events go to: the same rule as the Distributed table's sharding key (key modulo shards).</summary>
    public static int ShardOf(long visitorId, int shards) => (int)((ulong)visitorId % (ulong)shards);
}
