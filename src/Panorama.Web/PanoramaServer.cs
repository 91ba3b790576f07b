using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Panorama.Core.Access;
using Panorama.Core.Data;
using Panorama.Core.Enrichment;
using Panorama.Core.Goals;
using Panorama.Core.Reports.Query;
using Panorama.Core.Ingestion;
using Panorama.Core.Privacy;
using Panorama.Core.Sites;
using Panorama.Storage.DuckDb;
using Panorama.Web.Accounts;
using Panorama.Web.Decisions;
using Panorama.Web.Department;
using Panorama.Web.Health;
using Panorama.Web.Localization;
using Panorama.Web.Ingestion;
using Panorama.Web.Privacy;
using Panorama.Web.Stats;
using Panorama.Web.Tracker;

namespace Panorama.Web;

/// <summary>Builds the Panorama web host: ingestion, tracker, reports, health.</summary>
public static class PanoramaServer
{
    public const string TrackerCorsPolicy = "tracker";
    public const string StatsRateLimit = "stats";
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>Creates the application; <paramref name="configure"/> may add settings before services are built.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        // Below every other source, so settings, the environment and the command line override them. Without them the
        // framework logged five lines a request at Information, a console write per line under load.
        builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource { InitialData = LogDefaults });
        builder.WebHost.UseKestrelHttpsConfiguration();
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
            builder.WebHost.UseUrls(DefaultUrl);
        configure?.Invoke(builder);
        AddPanorama(builder.Services, builder.Configuration);
        var app = builder.Build();
        MapPanorama(app);
        return app;
    }

    static readonly Dictionary<string, string?> LogDefaults = new()
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        // While this category logs at any level, each request also gets an Activity and a log scope: ~950 bytes a request.
        ["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "None",
        ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Warning",
    };

    public static IServiceCollection AddPanorama(IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection("Panorama").Get<PanoramaOptions>() ?? new PanoramaOptions();
        services.AddSingleton(Options.Create(options));
        services.AddSingleton(TimeProvider.System);
        services.AddProblemDetails();
        services.AddOpenApi(openApi => openApi.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Panorama API";
            document.Info.Description = "Ingestion (Plausible and Umami compatible), Stats API v2 (Plausible compatible), goals, funnels, realtime and exports. Authorise with 'Authorization: Bearer KEY'.";
            return Task.CompletedTask;
        }));
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // Per API key (per client address without one): generous for dashboards, a brake on runaway scripts.
            limiter.AddPolicy(StatsRateLimit, http => System.Threading.RateLimiting.RateLimitPartition.GetTokenBucketLimiter(
                http.Request.Headers.Authorization.ToString() is { Length: > 0 } key ? key : http.Connection.RemoteIpAddress?.ToString() ?? "",
                _ => new System.Threading.RateLimiting.TokenBucketRateLimiterOptions
                {
                    TokenLimit = options.StatsRequestsPerMinute, TokensPerPeriod = options.StatsRequestsPerMinute,
                    ReplenishmentPeriod = TimeSpan.FromMinutes(1), QueueLimit = 0, AutoReplenishment = true,
                }));
            limiter.OnRejected = async (context, token) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "60";
                await Results.Problem(statusCode: 429, title: "Too many requests", detail: $"This key may make {options.StatsRequestsPerMinute} stats requests a minute.")
                    .ExecuteAsync(context.HttpContext);
            };
        });
        services.AddCors(cors => cors.AddPolicy(TrackerCorsPolicy, policy => policy.AllowAnyOrigin().AllowAnyHeader().WithMethods("POST")));

        services.AddEmbeddedStorage(options.DataDirectory, options.Events.MemoryLimit, options.Events.Threads, options.Events.CheckpointThreshold,
            relational: !options.Database.UsesPostgres);
        if (options.Database.UsesPostgres)
        {
            if (string.IsNullOrWhiteSpace(options.Database.ConnectionString))
                throw new InvalidOperationException("Panorama:Database:Provider=postgres needs Panorama:Database:ConnectionString (Host=…;Database=…;Username=…;Password=…).");
            Panorama.Storage.Postgres.PostgresStorage.AddPostgres(services, options.Database.ConnectionString);
        }
        if (options.Events.UsesClickHouse)
        {
            // Events in ClickHouse; the relational half stays where AddEmbeddedStorage put it.
            services.AddSingleton(_ => new Panorama.Storage.ClickHouse.ClickHouseEventStore(options.Events.ClickHouse, new HttpClient { Timeout = TimeSpan.FromMinutes(5) },
                Path.Combine(options.Ingestion.SpoolDirectory ?? Path.Combine(options.DataDirectory, "spool"), "clickhouse-sent")));
            services.AddSingleton<IEventSink>(provider => provider.GetRequiredService<Panorama.Storage.ClickHouse.ClickHouseEventStore>());
            services.AddSingleton<Panorama.Core.Reports.Query.IQueryEngine>(provider => provider.GetRequiredService<Panorama.Storage.ClickHouse.ClickHouseEventStore>());
        }
        services.AddAccounts(options.DataDirectory);
        services.AddSingleton<Texts>();
        services.AddRazorPages().AddApplicationPart(typeof(PanoramaServer).Assembly);
        services.Configure<RequestLocalizationOptions>(localization =>
        {
            localization.SetDefaultCulture("en").AddSupportedCultures(Texts.Languages).AddSupportedUICultures(Texts.Languages);
            localization.ApplyCurrentCultureToResponseHeaders = true;
        });
        services.AddSingleton<SiteDirectory>();
        services.AddSingleton<SiteDomainChange>();
        services.AddSingleton<SiteDeletion>();
        services.AddSingleton<ApiKeyService>();
        services.AddSingleton<SaltStore>();
        // The default data files may be missing (their addresses are then unknown); a file someone configured may not.
        var missingCityDatabase = EnrichmentData.CityDatabasePaths(options.Enrichment.CityDatabase).FirstOrDefault(path => !File.Exists(path));
        if (missingCityDatabase is not null)
            throw new InvalidOperationException($"Panorama:Enrichment:CityDatabase: {missingCityDatabase} does not exist.");
        services.AddSingleton(_ => EnrichmentData.Load(options.Enrichment.DataDirectory, options.Enrichment.CityDatabase));
        services.AddSingleton<EventEnricher>();
        services.AddSingleton(_ => new IngestionQueue(options.Ingestion.QueueCapacity));
        services.AddSingleton(_ => new EventSpool(options.Ingestion.SpoolDirectory ?? Path.Combine(options.DataDirectory, "spool"), options.Ingestion.FlushSpoolToDisk));
        services.AddSingleton(provider => new EventBatchWriter(
            provider.GetRequiredService<IngestionQueue>(),
            provider.GetRequiredService<IEventSink>(),
            provider.GetRequiredService<EventSpool>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<EventBatchWriter>>(),
            options.Ingestion.MaxBatchSize,
            provider.GetRequiredService<LiveEvents>(),
            provider.GetRequiredService<DeletedSiteEvents>()));
        services.AddSingleton<DeletedSiteEvents>();
        services.AddSingleton<LiveEvents>();
        services.AddSingleton<IngestionWorker>();
        services.AddHostedService(provider => provider.GetRequiredService<IngestionWorker>());
        services.AddHostedService<SaltCleanupWorker>();
        services.AddHostedService<Maintenance.DeletedSiteSweeper>();
        services.AddSingleton<Maintenance.RetentionWorker>();
        services.AddHostedService(provider => provider.GetRequiredService<Maintenance.RetentionWorker>());
        if (!options.Events.UsesClickHouse) services.AddHostedService<Maintenance.EventCompactionWorker>();
        else if (options.Events.ClickHouse.VisitBuildSeconds > 0) services.AddHostedService<Maintenance.VisitBuildWorker>();
        services.AddSingleton<ClientIpResolver>();
        services.AddSingleton<IngestionRateLimiter>();
        services.AddSingleton<TrackerScript>();
        services.AddSingleton<GoalService>();
        services.AddSingleton<SavedViews>();
        services.AddSingleton<QueryService>();
        services.AddSingleton<Panorama.Core.Department.DepartmentStore>();
        services.AddSingleton<Department.KpiEvaluator>();
        services.AddSingleton<Panorama.Core.Decisions.IDailyMetricSource, Decisions.DailyMetricSource>();
        services.AddSingleton<Panorama.Core.Decisions.DecisionRegister>();
        services.AddSingleton<Panorama.Core.Spend.SpendStore>();
        services.AddSingleton<Panorama.Core.EmailReports.EmailSubscriptions>();
        services.AddSingleton<Email.SmtpMailer>();
        services.AddSingleton<Email.PublicAddress>();
        services.AddSingleton<Email.SiteReports>();
        services.AddSingleton<Email.ReportEmail>();
        services.AddSingleton<Email.AccountEmail>();
        services.AddSingleton<Email.DepartmentDigests>();
        services.AddSingleton<Email.EmailReportRunner>();
        services.AddHostedService<Maintenance.EmailReportWorker>();
        return services;
    }

    /// <summary>Brings the relational schema up to date: PostgreSQL's migrations, or the embedded SQLite file's additive creation.</summary>
    public static void InitializeRelational(IServiceProvider services)
    {
        var databases = services.GetRequiredService<IDbContextFactory<PanoramaDbContext>>();
        if (services.GetRequiredService<IOptions<PanoramaOptions>>().Value.Database.UsesPostgres) Panorama.Storage.Postgres.PostgresStorage.Migrate(databases);
        else EmbeddedStorage.InitializeRelational(databases);
    }

    public static void MapPanorama(WebApplication app)
    {
        InitializeRelational(app.Services);
        // Open the event store and load the lists now, not on the first request.
        var events = app.Services.GetRequiredService<IOptions<PanoramaOptions>>().Value.Events;
        if (events.UsesClickHouse)
        {
            try
            {
                app.Services.GetRequiredService<Panorama.Storage.ClickHouse.ClickHouseEventStore>().MigrateAsync(CancellationToken.None).GetAwaiter().GetResult();
            }
            catch (Exception exception) when (exception is HttpRequestException or Panorama.Storage.ClickHouse.ClickHouseException)
            {
                // Ingestion still answers: events wait in the spool until the cluster answers.
                app.Logger.LogError(exception, "ClickHouse did not answer at start-up; events are spooled until it does");
            }
        }
        else _ = app.Services.GetRequiredService<DuckDbEventStore>();
        var enrichment = app.Services.GetRequiredService<EnrichmentData>();
        if (!enrichment.UserAgents.IsLoaded || !enrichment.Geo.IsLoaded)
            app.Logger.LogWarning("Enrichment data is incomplete in {Folder}: browsers or countries will show as unknown", app.Services.GetRequiredService<IOptions<PanoramaOptions>>().Value.Enrichment.DataDirectory);

        app.UseIngestion();
        // Where WebApplication would put routing by itself (ahead of everything), but after ingestion, which needs no route match.
        app.UseRouting();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseStaticFiles(new StaticFileOptions
        {
            RequestPath = "/assets",
            FileProvider = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(Path.Combine(AppContext.BaseDirectory, "assets")),
            OnPrepareResponse = context => context.Context.Response.Headers.CacheControl = "public, max-age=300",
        });
        app.UseRequestLocalization();
        app.UseCors();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.MapOpenApi("/openapi/v1.json");
        app.MapTracker();
        app.MapIngestion();
        app.MapStatsV1();
        app.MapSites();
        app.MapQuery();
        app.MapGoals();
        app.MapSegments();
        app.MapSiteGoals();
        app.MapSharedLinks();
        app.MapSiteGuests();
        app.MapSiteCustomProps();
        app.MapFunnels();
        app.MapRealtime();
        app.MapExport();
        app.MapHealth();
        app.MapProperties();
        app.MapDepartment();
        app.MapDecisions();
        app.MapRazorPages();
        // First run goes to the owner-account form; afterwards to the sites (the sign-in page when signed out).
        app.MapGet("/", (Panorama.Core.Accounts.SiteAccess access) => Results.Redirect(access.AnyUser() ? "/sites" : "/setup")).ExcludeFromDescription();
    }
}
