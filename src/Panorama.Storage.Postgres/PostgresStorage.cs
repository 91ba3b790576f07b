using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.Extensions.DependencyInjection;
using Panorama.Core.Data;

namespace Panorama.Storage.Postgres;

/// <summary>
/// The relational half (accounts, sites, keys, salts, goals, the department, decisions, spend) in PostgreSQL, for
/// several nodes sharing it. The schema comes from this project's EF Core migrations (<c>panorama migrate</c>, or at
/// start-up), unlike the embedded SQLite file, which is created from the model.
/// </summary>
public static class PostgresStorage
{
    public static void Configure(DbContextOptionsBuilder options, string connectionString) =>
        options.UseNpgsql(connectionString, npgsql => npgsql.MigrationsAssembly(typeof(PostgresStorage).Assembly.GetName().Name));

    public static IServiceCollection AddPostgres(this IServiceCollection services, string connectionString) =>
        services.AddDbContextFactory<PanoramaDbContext>(options => Configure(options, connectionString));

    /// <summary>Applies the migrations the database lacks; returns their names.</summary>
    public static IReadOnlyList<string> Migrate(IDbContextFactory<PanoramaDbContext> databases)
    {
        using var db = databases.CreateDbContext();
        var pending = db.Database.GetPendingMigrations().ToList();
        db.Database.Migrate();
        return pending;
    }
}

/// <summary>Lets <c>dotnet ef migrations add</c> build the model for PostgreSQL (the connection is not opened).</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<PanoramaDbContext>
{
    public PanoramaDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<PanoramaDbContext>();
        PostgresStorage.Configure(options, "Host=localhost;Database=panorama");
        return new PanoramaDbContext(options.Options);
    }
}
