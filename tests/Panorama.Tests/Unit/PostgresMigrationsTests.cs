using Microsoft.EntityFrameworkCore;
using Panorama.Storage.Postgres;

namespace Panorama.Tests.Unit;

/// <summary>
/// The PostgreSQL schema comes from migrations, the SQLite one from the model: a model change without its migration
/// would leave PostgreSQL installs without the new columns. (No server needed: the model is compared with the snapshot.)
/// </summary>
public sealed class PostgresMigrationsTests
{
    [Fact]
    public void Model_HasNoChangesMissingFromTheMigrations()
    {
        using var db = new DesignTimeFactory().CreateDbContext([]);
        Assert.False(db.Database.HasPendingModelChanges(),
            "The model differs from the last PostgreSQL migration: run `dotnet ef migrations add NAME --project src/Panorama.Storage.Postgres`.");
    }
}
