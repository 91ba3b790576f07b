namespace Panorama.Storage.DuckDb;

/// <summary>
/// The events table. Column order is the appender's order: change both together. Optional values are NULL
/// rather than empty: the appender writes a NULL several times faster than a string.
/// </summary>
static class DuckDbSchema
{
    public const string CreateEvents = """
        CREATE TABLE IF NOT EXISTS events (
            site_id INTEGER NOT NULL,
            ts TIMESTAMP NOT NULL,
            seq BIGINT NOT NULL,
            visitor_id BIGINT NOT NULL,
            name VARCHAR NOT NULL,
            pathname VARCHAR NOT NULL,
            hostname VARCHAR NOT NULL,
            referrer VARCHAR,
            source VARCHAR NOT NULL,
            channel VARCHAR NOT NULL,
            utm_source VARCHAR,
            utm_medium VARCHAR,
            utm_campaign VARCHAR,
            utm_content VARCHAR,
            utm_term VARCHAR,
            browser VARCHAR NOT NULL,
            browser_version VARCHAR,
            os VARCHAR NOT NULL,
            os_version VARCHAR,
            device VARCHAR NOT NULL,
            screen VARCHAR,
            country VARCHAR,
            region VARCHAR,
            city VARCHAR,
            prop_keys VARCHAR[],
            prop_values VARCHAR[],
            revenue_amount DECIMAL(18, 6),
            revenue_currency VARCHAR,
            engagement_ms INTEGER,
            scroll_depth SMALLINT,
            interactive BOOLEAN NOT NULL
        );
        """;

    /// <summary>Every visit attribute taken from a visit's first event, in the order the visits table holds them.</summary>
    public static readonly string[] VisitAttributes =
    [
        "source", "channel", "referrer", "utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term",
        "device", "browser", "browser_version", "os", "os_version", "country", "region", "city", "screen",
    ];

    /// <summary>
    /// Visits, cut from the events as they are loaded (README, "What the numbers mean"), so reports read them
    /// instead of cutting visits at query time. <c>visits_progress</c> holds the last event sequence whose
    /// visits are up to date, in the same transaction as the visits themselves.
    /// </summary>
    public static readonly string CreateVisits = $"""
        CREATE TABLE IF NOT EXISTS visits (
            site_id INTEGER NOT NULL,
            visitor_id BIGINT NOT NULL,
            v_started TIMESTAMP NOT NULL,
            v_ended TIMESTAMP NOT NULL,
            v_duration BIGINT NOT NULL,
            v_pageviews BIGINT NOT NULL,
            v_bounce INTEGER NOT NULL,
            v_entry_page VARCHAR,
            v_exit_page VARCHAR,
            {string.Join(",\n    ", VisitAttributes.Select(c => $"v_{c} VARCHAR"))}
        );
        CREATE TABLE IF NOT EXISTS visits_progress (sequence BIGINT NOT NULL);
        CREATE TABLE IF NOT EXISTS compaction (table_name VARCHAR, week_start TIMESTAMP, rows BIGINT NOT NULL, PRIMARY KEY (table_name, week_start));
        INSERT INTO visits_progress SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM visits_progress);
        """;

    /// <summary>
    /// Each UTC day's (site, page, visitor) with that visitor's pageviews and events on the page, for every
    /// non-engagement event before <c>page_days_progress.horizon</c> (and loaded before the visits' progress mark).
    /// <c>prev_day</c> is the latest earlier day with the same (site, visitor, page), so a page's visitors over
    /// whole days are counted without a distinct: a row counts when <c>prev_day</c> falls before the period.
    /// </summary>
    public const string CreatePageDays = """
        CREATE TABLE IF NOT EXISTS page_days (
            site_id INTEGER NOT NULL,
            day DATE NOT NULL,
            pathname VARCHAR NOT NULL,
            visitor_id BIGINT NOT NULL,
            pageviews BIGINT NOT NULL,
            events BIGINT NOT NULL,
            prev_day DATE
        );
        CREATE TABLE IF NOT EXISTS page_days_progress (horizon TIMESTAMP NOT NULL);
        INSERT INTO page_days_progress SELECT TIMESTAMP '0001-01-01' WHERE NOT EXISTS (SELECT 1 FROM page_days_progress);
        """;

    /// <summary>
    /// Each person-day whose events in the first half hour after midnight UTC could continue yesterday's visit: their
    /// id under the day's salt and under yesterday's. Events may arrive in any order, so the visit pass re-keys such a
    /// day's events to yesterday's id when the visit turns out to go on across midnight (DuckDbVisits.cs). Rows repeat
    /// (one per batch that holds the pair); readers take them DISTINCT. <c>noted</c> is when the pair was stored, which
    /// decides when it is pruned (DuckDbMidnightPairs.cs).
    /// </summary>
    public const string CreateMidnightPairs = """
        CREATE TABLE IF NOT EXISTS midnight_pairs (
            site_id INTEGER NOT NULL,
            own_id BIGINT NOT NULL,
            prev_id BIGINT NOT NULL,
            day DATE NOT NULL,
            noted TIMESTAMP
        );
        """;

    /// <summary>
    /// The highest event sequence stored when a site deletion or retention removed events. Sequences go on above it after a
    /// restart, so new events stay above what the visit passes covered (<c>visits_progress</c>), and a spooled event already
    /// stored (and deleted) is not stored again.
    /// </summary>
    public const string CreateSequenceFloor = "CREATE TABLE IF NOT EXISTS sequence_floor (sequence BIGINT NOT NULL);";

    /// <summary>Stores created before pairs were pruned get the column; their pairs count as noted when the store opens.</summary>
    public const string NoteMidnightPairsArrival = """
        ALTER TABLE midnight_pairs ADD COLUMN IF NOT EXISTS noted TIMESTAMP;
        UPDATE midnight_pairs SET noted = now()::TIMESTAMP WHERE noted IS NULL;
        """;

    /// <summary>Stores created before optional values became NULL get their NOT NULL constraints dropped.</summary>
    public static readonly string[] OptionalColumns =
    [
        "referrer", "utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term", "browser_version", "os_version",
        "country", "region", "city", "screen", "revenue_currency", "prop_keys", "prop_values",
    ];
}
