using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Panorama.Core.Accounts;
using Panorama.Core.Department;
using Panorama.Core.Decisions;
using Panorama.Core.Spend;
using Panorama.Core.Goals;
using Panorama.Web.Accounts;
using Panorama.Cli.Demo;
using Panorama.Core.Access;
using Panorama.Core.Enrichment;
using Panorama.Core.Ingestion;
using Panorama.Core.Privacy;
using Panorama.Core.Sites;
using Panorama.Storage.DuckDb;

namespace Panorama.Cli;

/// <summary>Fills a fresh data folder with the demo site and its traffic, and issues an API key for it.</summary>
static class DemoSeed
{
    /// <summary>A year of traffic (growing towards today) and of spend, so that every period and the decisions' windows have data.</summary>
    public const int Days = 365;

    /// <summary>The evaluated demo decision (free delivery in Russia) took effect this many days ago.</summary>
    const int FreeDeliveryDaysAgo = 28;

    public const string OwnerEmail = "demo@panorama.example";

    public sealed record Result(string Domain, long EventCount, string ApiKey, string OwnerPassword);

    public static async Task<Result> RunAsync(IServiceProvider services)
    {
        var site = services.GetRequiredService<SiteDirectory>().Add(DemoTraffic.Domain, "Europe/Moscow");
        var store = services.GetRequiredService<DuckDbEventStore>();
        if (store.CountEvents(site.Id) == 0)
        {
            var enricher = services.GetRequiredService<EventEnricher>();
            var salts = services.GetRequiredService<SaltStore>();
            var geo = services.GetRequiredService<EnrichmentData>().Geo;
            var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
            var batch = new List<EnrichedEvent>();
            var traffic = new DemoTraffic(geo) { FreeDeliveryFrom = now.Date.AddDays(-FreeDeliveryDaysAgo) };
            var hits = Enumerable.Range(0, Days).Reverse().SelectMany(daysAgo =>
            {
                var day = now.Date.AddDays(-daysAgo);
                return traffic.Generate(day, daysAgo == 0 ? now : day.AddDays(1), visitorsPerDay: 450 - daysAgo * 250 / Days);
            });
            foreach (var (incoming, request) in hits)
            {
                var (outcome, enriched) = enricher.Enrich(incoming, site, request, salts.ForDay);
                if (outcome == EventEnricher.Outcome.Accepted) batch.Add(enriched!);
            }
            // Stored in time order and numbered, as the ingestion pipeline would; it continues after the last number.
            var ordered = batch.OrderBy(e => e.Timestamp).ToList();
            var sequence = await store.MaxSequenceAsync(CancellationToken.None);
            foreach (var enriched in ordered) enriched.Sequence = ++sequence;
            foreach (var chunk in ordered.Chunk(50_000))
                await store.AppendAsync(chunk, CancellationToken.None);
            // Cut the visits now: the demo's decisions are measured before the server (and its visit builder) starts.
            await store.RefreshVisitsAsync(CancellationToken.None);
        }
        var goals = services.GetRequiredService<GoalService>();
        if (goals.ForSite(site.Id).Count == 0)
        {
            goals.Add(site.Id, null, "Signup", null);
            goals.Add(site.Id, null, "Add to cart", null);
            goals.Add(site.Id, null, "Purchase", "RUB");
            goals.Add(site.Id, "/pricing", null, null);
            // Plausible's newer goal kinds: one event with a property, and reading the blog's posts to the end.
            goals.Add(site.Id, null, "Signup", null, new Dictionary<string, string> { ["plan"] = "pro" }, "Pro signup");
            goals.Add(site.Id, "/blog/**", null, null, scrollThreshold: 75);
            var views = services.GetRequiredService<SavedViews>();
            views.Save(site.Id, SavedViewKind.Funnel, "Purchase", "/\n/pricing\nAdd to cart\nPurchase");
            views.Save(site.Id, SavedViewKind.Segment, "Paid search, mobile", "visit:channel|is|Paid Search\nvisit:device|is|Mobile");
        }
        var emailReports = services.GetRequiredService<Panorama.Core.EmailReports.EmailSubscriptions>();
        if (emailReports.For(site.Id).Count == 0)
        {
            // Sent only once an SMTP server is configured; the settings page shows them either way.
            emailReports.Add(site.Id, Panorama.Core.EmailReports.EmailReportKind.Weekly, "marketing@demo.example", "en", null);
            emailReports.Add(site.Id, Panorama.Core.EmailReports.EmailReportKind.Monthly, "director@demo.example", "ru", null);
            emailReports.Add(site.Id, Panorama.Core.EmailReports.EmailReportKind.Drop, "webmaster@demo.example", "en", 100);
        }
        var department = services.GetRequiredService<DepartmentStore>();
        if (department.Current().Revision is null)
            department.Save(DemoDepartment(DateOnly.FromDateTime(services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime)), "demo", "The demo department");
        var spend = services.GetRequiredService<SpendStore>();
        if (spend.Currencies(site.Id).Count == 0)
        {
            // A year of daily spend on the demo traffic's paid campaigns, as imports of the platforms' exports would bring it.
            var csv = new System.Text.StringBuilder("date,channel,campaign,cost,currency,clicks\n");
            var today = DateOnly.FromDateTime(services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime);
            for (var day = today.AddDays(-(Days - 1)); day <= today; day = day.AddDays(1))
            {
                var growth = 0.55m + 0.45m * (Days - (today.DayNumber - day.DayNumber)) / Days;
                var season = day.Month is 11 or 12 ? 1.25m : day.Month is 7 or 8 ? 0.8m : 1m;
                csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"{day:yyyy-MM-dd},Paid Search,autumn_sale,{Math.Round((21000 + day.Day * 150) * growth * season)},RUB,{300 + day.Day}\n");
                csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"{day:yyyy-MM-dd},Paid Search,brand,{Math.Round((9000 + day.Day * 40) * growth)},RUB,{180 + day.Day}\n");
                csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"{day:yyyy-MM-dd},Paid Social,retargeting,{Math.Round((12000 + day.Day * 90) * growth * season)},RUB,{150 + day.Day}\n");
                csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"{day:yyyy-MM-dd},Email,november,1500,RUB,\n");
            }
            spend.Import(SpendImport.Parse(System.Text.Encoding.UTF8.GetBytes(csv.ToString()), site.Id));
        }
        if (services.GetRequiredService<DecisionRegister>().All().Count == 0) await DemoDecisionsAsync(services, site.Id);
        var (_, secret) = services.GetRequiredService<ApiKeyService>().Create($"demo {DateTime.UtcNow:yyyy-MM-dd HH:mm}", [site.Id]);
        return new Result(site.Domain, store.CountEvents(site.Id), secret, await DemoOwnerAsync(services));
    }

    /// <summary>A handful of decisions at every stage, one evaluated against the demo traffic.</summary>
    static async Task DemoDecisionsAsync(IServiceProvider services, int siteId)
    {
        const string head = OwnerEmail;
        // The register on a clock the demo winds, so each step is recorded on the day it would have happened.
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var clock = new DemoClock(now);
        var register = new DecisionRegister(services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Panorama.Core.Data.PanoramaDbContext>>(),
            services.GetRequiredService<IDailyMetricSource>(), clock);
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        DecisionRegister At(int daysAgo) { clock.Now = now.AddDays(-daysAgo); return register; }
        var purchases = new DecisionMetric("events", """[["is","event:goal",["Purchase"]]]""", "increase", 10);
        var evaluated = await At(FreeDeliveryDaysAgo + 7).ProposeAsync(new Decision
        {
            Title = "Free delivery in Russia over 3,000 RUB", Area = "checkout", Importance = Importance.Important, ProposedBy = head, SiteId = siteId, Cost = 120000,
            ExpectedBenefits = "More purchases from visitors in Russia who reach the cart", ConsequencesAndRisks = "Lower margin on small orders",
            Options = "Free delivery for everyone; a threshold; no change",
        }, [new DecisionMetric("events", """[["is","event:goal",["Purchase"]],["is","visit:country",["RU"]]]""", "increase", 20,
                ControlFiltersJson: """[["is","event:goal",["Purchase"]],["is_not","visit:country",["RU"]]]"""),
            new DecisionMetric("visitors", null, "increase", 5)], CancellationToken.None);
        At(FreeDeliveryDaysAgo + 5).Submit(evaluated.Id, head);
        At(FreeDeliveryDaysAgo + 2).Decide(evaluated.Id, true, head, isHead: true, "Try it for a month");
        At(FreeDeliveryDaysAgo).Implement(evaluated.Id, today.AddDays(-FreeDeliveryDaysAgo), head);
        await At(0).EvaluateAsync(evaluated.Id, head, FreeDeliveryDaysAgo, CancellationToken.None);

        // A decision that changed nothing measurable: the record says so rather than claiming a win.
        var bids = await At(70).ProposeAsync(new Decision
        {
            Title = "Raise Yandex Direct bids on the autumn sale by 15%", Area = "paid", Importance = Importance.Routine, ProposedBy = head, SiteId = siteId,
            Cost = 45000, ExpectedBenefits = "More visitors from the autumn sale campaign", ConsequencesAndRisks = "A higher cost per click",
        }, [new DecisionMetric("visitors", """[["is","visit:utm_campaign",["autumn_sale"]]]""", "increase", 15)], CancellationToken.None);
        At(68).Submit(bids.Id, head);
        At(66).Decide(bids.Id, true, head, isHead: true, "Agreed");
        At(60).Implement(bids.Id, today.AddDays(-60), head);
        await At(25).EvaluateAsync(bids.Id, head, 30, CancellationToken.None);
        At(0);

        var approved = await register.ProposeAsync(new Decision
        {
            Title = "Move 20% of the VK Ads budget to Yandex Direct", Area = "paid", Importance = Importance.Strategic, ProposedBy = head, SiteId = siteId,
            ExpectedBenefits = "Cheaper purchases", ConsequencesAndRisks = "Fewer young visitors from social networks", Cost = 0,
        }, [purchases], CancellationToken.None);
        register.Submit(approved.Id, head);
        register.Decide(approved.Id, true, head, isHead: true, "Approved for the next quarter");

        var review = await register.ProposeAsync(new Decision
        {
            Title = "Publish two blog articles a week", Area = "content", Importance = Importance.Routine, ProposedBy = head, SiteId = siteId,
            ExpectedBenefits = "More organic search visitors", ConsequencesAndRisks = "The copywriter's load rises", Cost = 60000,
        }, [new DecisionMetric("visitors", """[["is","visit:channel",["Organic Search"]]]""", "increase", 15)], CancellationToken.None);
        register.Submit(review.Id, head);

        await register.ProposeAsync(new Decision
        {
            Title = "Redesign of the home page by the sales department", Area = "site", Importance = Importance.Important, ProposedBy = "sales director",
            SiteId = siteId, WithoutMarketing = true, ExpectedBenefits = "A fresher look",
        }, [new DecisionMetric("bounce_rate", null, "decrease", null)], CancellationToken.None);
    }

    /// <summary>The demo department (Demo/department.yaml) with its relative dates ("{today-30}") made real.</summary>
    public static string DemoDepartment(DateOnly today)
    {
        using var stream = typeof(DemoSeed).Assembly.GetManifestResourceStream("Panorama.Cli.Demo.department.yaml")!;
        var template = new StreamReader(stream).ReadToEnd();
        return System.Text.RegularExpressions.Regex.Replace(template, @"\{today([+-]\d+)?\}", match =>
            today.AddDays(match.Groups[1].Success ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0)
                .ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>The demo's owner account, with a fresh random password each run (printed, never stored in clear).</summary>
    static async Task<string> DemoOwnerAsync(IServiceProvider services)
    {
        using var scope = services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PanoramaUser>>();
        var password = "demo-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var owner = await users.FindByEmailAsync(OwnerEmail);
        if (owner is null)
        {
            var errors = await OwnerBootstrap.CreateOwnerAsync(users, OwnerEmail, password, services.GetRequiredService<TimeProvider>());
            if (errors.Count > 0) throw new InvalidOperationException(string.Join(" ", errors));
        }
        else
        {
            await users.RemovePasswordAsync(owner);
            await users.AddPasswordAsync(owner, password);
        }
        return password;
    }
}

/// <summary>A clock the demo sets, to record its decisions' steps on the days they would have been taken.</summary>
sealed class DemoClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
