using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Panorama.Core.Data;
using Panorama.Core.Ingestion;

namespace Panorama.Storage.DuckDb;

/// <summary>The default install: events in DuckDB, everything else in SQLite, both files in one data folder.</summary>
public static class EmbeddedStorage
{
    /// <param name="relational">False when the relational half lives elsewhere (PostgreSQL).</param>
    public static IServiceCollection AddEmbeddedStorage(this IServiceCollection services, string dataDirectory, string memoryLimit, int threads, string checkpointThreshold, bool relational = true)
    {
        Directory.CreateDirectory(dataDirectory);
        if (relational) services.AddDbContextFactory<PanoramaDbContext>(options => options.UseSqlite(RelationalConnectionString(dataDirectory)));
        services.AddSingleton(_ => new DuckDbEventStore(new DuckDbOptions
        {
            Path = Path.Combine(dataDirectory, "events.duckdb"),
            MemoryLimit = memoryLimit,
            Threads = threads,
            CheckpointThreshold = checkpointThreshold,
        }));
        services.AddSingleton<IEventSink>(provider => provider.GetRequiredService<DuckDbEventStore>());
        services.AddSingleton<Panorama.Core.Reports.Query.IQueryEngine>(provider => provider.GetRequiredService<DuckDbEventStore>());
        return services;
    }

    public static string RelationalConnectionString(string dataDirectory) =>
        new SqliteConnectionStringBuilder { DataSource = Path.Combine(dataDirectory, "panorama.db"), DefaultTimeout = 30 }.ToString();

    /// <summary>
    /// Creates the relational schema, and any table or index a newer version added to an existing database
    /// (additive changes only; a changed column will need real migrations). WAL lets the CLI write while the
    /// server reads.
    /// </summary>
    public static void InitializeRelational(IDbContextFactory<PanoramaDbContext> databases)
    {
        using var db = databases.CreateDbContext();
        db.Database.ExecuteSqlRaw("PRAGMA journal_mode=WAL;");
        var script = db.Database.GenerateCreateScript()
            .Replace("CREATE TABLE ", "CREATE TABLE IF NOT EXISTS ", StringComparison.Ordinal)
            .Replace("CREATE UNIQUE INDEX ", "CREATE UNIQUE INDEX IF NOT EXISTS ", StringComparison.Ordinal)
            .Replace("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", StringComparison.Ordinal);
        foreach (var statement in script.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            db.Database.ExecuteSqlRaw(statement);
        AddMissingColumns(db);
    }

    /// <summary>Adds columns a newer version declares to tables an older version created (nullable or defaulted only).</summary>
    static void AddMissingColumns(PanoramaDbContext db)
    {
        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open) connection.Open();
        foreach (var entity in db.Model.GetEntityTypes())
        {
            var table = entity.GetTableName();
            if (table is null) continue;
            var existing = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            using (var command = connection.CreateCommand())
            {
                command.CommandText = $"PRAGMA table_info(\"{table}\")";
                using var reader = command.ExecuteReader();
                while (reader.Read()) existing.Add(reader.GetString(1));
            }
            var identifier = Microsoft.EntityFrameworkCore.Metadata.StoreObjectIdentifier.Table(table);
            foreach (var property in entity.GetProperties())
            {
                var column = property.GetColumnName(identifier);
                if (column is null || existing.Contains(column)) continue;
                var type = property.GetColumnType();
                var definition = property.IsNullable ? type : $"{type} NOT NULL DEFAULT {(type == "TEXT" ? "''" : "0")}";
                using var alter = connection.CreateCommand();
                alter.CommandText = $"ALTER TABLE \"{table}\" ADD COLUMN \"{column}\" {definition}";
                alter.ExecuteNonQuery();
            }
        }
    }
}
