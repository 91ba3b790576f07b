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

    /// <summary>Stores created before optional values became NULL get their NOT NULL constraints dropped.</summary>
    public static readonly string[] OptionalColumns =
    [
        "referrer", "utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term", "browser_version", "os_version",
        "country", "region", "city", "screen", "revenue_currency", "prop_keys", "prop_values",
    ];
}
