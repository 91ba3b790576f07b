namespace Panorama.Storage.DuckDb;

/// <summary>The events table. Column order is the appender's order: change both together.</summary>
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
            referrer VARCHAR NOT NULL,
            source VARCHAR NOT NULL,
            channel VARCHAR NOT NULL,
            utm_source VARCHAR NOT NULL,
            utm_medium VARCHAR NOT NULL,
            utm_campaign VARCHAR NOT NULL,
            utm_content VARCHAR NOT NULL,
            utm_term VARCHAR NOT NULL,
            browser VARCHAR NOT NULL,
            browser_version VARCHAR NOT NULL,
            os VARCHAR NOT NULL,
            os_version VARCHAR NOT NULL,
            device VARCHAR NOT NULL,
            screen VARCHAR NOT NULL,
            country VARCHAR NOT NULL,
            region VARCHAR NOT NULL,
            city VARCHAR NOT NULL,
            prop_keys VARCHAR[] NOT NULL,
            prop_values VARCHAR[] NOT NULL,
            revenue_amount DECIMAL(18, 6),
            revenue_currency VARCHAR NOT NULL,
            engagement_ms INTEGER,
            scroll_depth SMALLINT,
            interactive BOOLEAN NOT NULL
        );
        """;
}
