namespace Panorama.Web;

/// <summary>All settings, bound from the <c>Panorama</c> configuration section (appsettings, <c>Panorama__X</c> environment variables).</summary>
public sealed class PanoramaOptions
{
    /// <summary>Folder holding the embedded databases (events.duckdb, panorama.db).</summary>
    public string DataDirectory { get; set; } = "panorama-data";

    /// <summary>Stats API requests (query, funnel, export, goals, realtime) one API key may make per minute.</summary>
    public int StatsRequestsPerMinute { get; set; } = 3000;

    public IngestionOptions Ingestion { get; set; } = new();
    public EnrichmentOptions Enrichment { get; set; } = new();
    public EventStoreOptions Events { get; set; } = new();
    public DatabaseOptions Database { get; set; } = new();
    public EmailOptions Email { get; set; } = new();

    /// <summary>
    /// The address people open this server at (<c>https://stats.example.com</c>), for the links in emails; by default the
    /// address it listens on.
    /// </summary>
    public string? PublicUrl { get; set; }
}

/// <summary>The SMTP server email reports go through; without <see cref="SmtpHost"/> none are sent.</summary>
public sealed class EmailOptions
{
    public string? SmtpHost { get; set; }

    public int SmtpPort { get; set; } = 25;

    /// <summary>"auto" (TLS on port 465, STARTTLS where the server offers it), "starttls" (required), "tls", or "none".</summary>
    public string Security { get; set; } = "auto";

    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>The sender, e.g. <c>Panorama &lt;stats@example.com&gt;</c>.</summary>
    public string From { get; set; } = "Panorama <panorama@localhost>";

    public bool IsConfigured => !string.IsNullOrWhiteSpace(SmtpHost);
}

public sealed class IngestionOptions
{
    /// <summary>Proxies (addresses or CIDR ranges) whose X-Forwarded-For header is believed.</summary>
    public string[] TrustedProxies { get; set; } = [];

    /// <summary>Requests waiting for the batch writer before new ones wait at the door.</summary>
    public int QueueCapacity { get; set; } = 50_000;

    /// <summary>
    /// The node's own spool folder (default <c>&lt;data&gt;/spool</c>): each node of a cluster needs one of its own, on a
    /// disk that survives a restart.
    /// </summary>
    public string? SpoolDirectory { get; set; }

    /// <summary>Most events written to the event store in one batch.</summary>
    public int MaxBatchSize { get; set; } = 50_000;

    /// <summary>
    /// Also force each spool write to disk before acknowledging (survives power loss, not only a crash of
    /// the process), at a cost in throughput that depends on the disk.
    /// </summary>
    public bool FlushSpoolToDisk { get; set; }

    /// <summary>
    /// Bytes of acknowledged events the local spool may hold while the event store does not take them (a ClickHouse shard
    /// down, say); beyond it ingestion answers 503 with Retry-After rather than dropping anything.
    /// </summary>
    public long MaxSpoolBytes { get; set; } = 2L * 1024 * 1024 * 1024;

    /// <summary>Sustained events per second accepted from one client IP without an API key; 0 disables the limit.</summary>
    public int EventsPerSecondPerIp { get; set; } = 200;

    /// <summary>Burst allowance per client IP above the sustained rate.</summary>
    public int BurstPerIp { get; set; } = 1000;
}

public sealed class EnrichmentOptions
{
    /// <summary>Folder with regexes.yaml, crawler-user-agents.json, referrers.json, referrer-spam.txt and country.mmdb.</summary>
    public string DataDirectory { get; set; } = Path.Combine(AppContext.BaseDirectory, "EnrichmentData");

    /// <summary>
    /// Optional city-level MMDB files, comma-separated: MaxMind's GeoLite2/GeoIP2 City, or ip-location-db's city files
    /// (IPv4 and IPv6 are two files there). Asked before the country database, which answers what they do not cover.
    /// </summary>
    public string? CityDatabase { get; set; }

    /// <summary>
    /// The credit the city databases' licence asks for, shown in every page's footer beside the bundled data's
    /// (e.g. "This product includes GeoLite2 data created by MaxMind, available from https://www.maxmind.com").
    /// </summary>
    public string? CityDatabaseCredit { get; set; }
}

public sealed class EventStoreOptions
{
    /// <summary>"duckdb" (the embedded default, a file in the data folder) or "clickhouse" (see <see cref="ClickHouse"/>).</summary>
    public string Provider { get; set; } = "duckdb";

    public Panorama.Storage.ClickHouse.ClickHouseOptions ClickHouse { get; set; } = new();

    public bool UsesClickHouse => string.Equals(Provider, "clickhouse", StringComparison.OrdinalIgnoreCase);

    public string MemoryLimit { get; set; } = Panorama.Storage.DuckDb.DuckDbOptions.DefaultMemoryLimit;

    /// <summary>DuckDB's write-ahead log size before a checkpoint: smaller holds less memory, larger costs less CPU per event (bench README).</summary>
    public string CheckpointThreshold { get; set; } = Panorama.Storage.DuckDb.DuckDbOptions.DefaultCheckpointThreshold;

    public int Threads { get; set; } = Environment.ProcessorCount;

    /// <summary>Whole UTC months of events kept (<see cref="Panorama.Core.Ingestion.EventRetention"/>); 0 keeps every event.</summary>
    public int RetentionMonths { get; set; }
}

/// <summary>Where the relational half lives: the embedded SQLite file in the data folder, or PostgreSQL shared by several nodes.</summary>
public sealed class DatabaseOptions
{
    /// <summary>"sqlite" (the default) or "postgres".</summary>
    public string Provider { get; set; } = "sqlite";

    /// <summary>An Npgsql connection string, for postgres.</summary>
    public string? ConnectionString { get; set; }

    public bool UsesPostgres => string.Equals(Provider, "postgres", StringComparison.OrdinalIgnoreCase) || string.Equals(Provider, "postgresql", StringComparison.OrdinalIgnoreCase);
}
