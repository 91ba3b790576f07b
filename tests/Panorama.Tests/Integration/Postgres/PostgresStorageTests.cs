using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Panorama.Core.Data;
using Panorama.Core.Decisions;
using Panorama.Core.Department;
using Panorama.Core.Spend;
using Panorama.Tests.Support;

namespace Panorama.Tests.Integration.Postgres;

/// <summary>The relational half on a real PostgreSQL: migrations create the schema, and what users do survives a restart.</summary>
[Collection(ClickHouseCollection.Name)]
public sealed class PostgresStorageTests : IClassFixture<PostgresServer>
{
    readonly PostgresServer postgres;

    public PostgresStorageTests(PostgresServer postgres) => this.postgres = postgres;

    string[] Settings(string database) => ["--Panorama:Database:Provider=postgres", $"--Panorama:Database:ConnectionString={postgres.ConnectionString(database)}"];

    [Fact]
    public async Task Server_OnPostgres_MigratesAndKeepsAccountsSitesKeysDepartmentDecisionsAndSpend()
    {
        var database = PostgresServer.NewDatabase();
        string key;
        await using (var server = await TestServer.StartAsync(Settings(database)))
        {
            var databases = server.Services.GetRequiredService<IDbContextFactory<PanoramaDbContext>>();
            using (var db = databases.CreateDbContext())
            {
                Assert.Equal("Npgsql.EntityFrameworkCore.PostgreSQL", db.Database.ProviderName);
                Assert.Contains(db.Database.GetAppliedMigrations(), m => m.EndsWith("_Initial", StringComparison.Ordinal));
                Assert.Empty(db.Database.GetPendingMigrations());
            }
            var site = server.AddSite("pg.example", "Europe/Moscow");
            key = server.CreateKey(site.Id);
            await server.CreateUserAsync("head@pg.test", owner: true);
            using (var response = await server.PostEventAsync(EventBodies.Pageview("pg.example", "/", DateTimeOffset.UtcNow, "198.51.100.20"), key))
                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            // Salts come from PostgreSQL too: the event is counted.
            Assert.Equal(1, (int)(await server.GetJsonAsync("/api/v1/stats/summary?site_id=pg.example&period=day", key))["results"]!["visitors"]!);
            server.Services.GetRequiredService<DepartmentStore>().Save("people:\n  - {id: head, name: Head, account: head@pg.test}\n", "test", "first");
            var spend = server.Services.GetRequiredService<SpendStore>();
            var rows = SpendImport.Parse(System.Text.Encoding.UTF8.GetBytes("date,channel,campaign,cost,currency\n2026-11-01,Paid Search,a,10.5,RUB\n"), site.Id);
            Assert.Equal(1, spend.Import(rows).Added);
            Assert.Equal(0, spend.Import(rows).Added);
            var register = server.Services.GetRequiredService<DecisionRegister>();
            var decision = await register.ProposeAsync(new Decision { Title = "Try Postgres", Area = "ops", Importance = Importance.Routine, ProposedBy = "head@pg.test", SiteId = site.Id },
                [new DecisionMetric("visitors", null, "increase", 5)], CancellationToken.None);
            register.Submit(decision.Id, "head@pg.test");
        }

        // A second start on the same database: nothing to migrate, everything still there.
        await using (var again = await TestServer.StartAsync(Settings(database)))
        {
            using var session = await WebSession.SignInAsync(again, "head@pg.test");
            Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/sites/pg.example")).StatusCode);
            // The key still opens the API (events live in each node's own store; this node's is new and empty).
            Assert.Equal(0, (int)(await again.GetJsonAsync("/api/v1/stats/summary?site_id=pg.example&period=day", key))["results"]!["visitors"]!);
            Assert.Equal("Head", again.Services.GetRequiredService<DepartmentStore>().Current().Model.People.Single().Name);
            Assert.Equal(DecisionStatus.UnderReview, again.Services.GetRequiredService<DecisionRegister>().All().Single().Status);
            Assert.Equal(10.5m, again.Services.GetRequiredService<IDbContextFactory<PanoramaDbContext>>().CreateDbContext().SpendRows.Single().Cost);
        }
    }

    [Fact]
    public async Task MigrateCommand_CreatesTheSchemaOnAnEmptyDatabase()
    {
        var database = PostgresServer.NewDatabase();
        using var data = new TempDirectory();
        var (code, stdout, stderr) = await PanoramaProcess.RunAsync(["migrate", "--data", data.Path, .. Settings(database)]);
        Assert.True(code == 0, stderr);
        Assert.Contains("up to date on PostgreSQL", stdout);
        var options = new DbContextOptionsBuilder<PanoramaDbContext>();
        Panorama.Storage.Postgres.PostgresStorage.Configure(options, postgres.ConnectionString(database));
        using var db = new PanoramaDbContext(options.Options);
        Assert.Empty(db.Database.GetPendingMigrations());
        Assert.Equal(0, db.Sites.Count());
    }
}
