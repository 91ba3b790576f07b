using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Panorama.Core.Accounts;
using Panorama.Core.Data;
using Panorama.Core.EmailReports;
using Panorama.Core.Goals;
using Panorama.Core.Sites;
using Panorama.Tests.Support;
using Panorama.Web.Email;
using static Panorama.Tests.Support.EventBodies;

namespace Panorama.Tests.Integration;

/// <summary>Weekly reports and spike notifications through a real SMTP exchange, with numbers from known events.</summary>
public sealed partial class EmailReportTests : IAsyncLifetime
{
    const string Domain = "mailed.example";
    readonly SmtpSink smtp = new();
    TestServer server = null!;
    Site site = null!;
    string key = "";

    public async Task InitializeAsync()
    {
        server = await TestServer.StartAsync([.. smtp.Settings, "--Panorama:PublicUrl=https://stats.panorama.test/"]);
        site = server.AddSite(Domain);
        key = server.CreateKey(site.Id);
    }

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        smtp.Dispose();
    }

    EmailSubscriptions Subscriptions => server.Services.GetRequiredService<EmailSubscriptions>();
    EmailReportRunner Runner => server.Services.GetRequiredService<EmailReportRunner>();

    /// <summary>A subscription made a month ago, so the latest period is due for it.</summary>
    EmailSubscription Subscribe(EmailReportKind kind, string email, string language = "en", int? threshold = null)
    {
        var subscription = Subscriptions.Add(site.Id, kind, email, language, threshold);
        using var db = server.Services.GetRequiredService<IDbContextFactory<PanoramaDbContext>>().CreateDbContext();
        var monthAgo = DateTimeOffset.UtcNow.AddDays(-40);
        db.EmailSubscriptions.Where(s => s.Id == subscription.Id).ExecuteUpdate(set => set.SetProperty(s => s.CreatedAt, monthAgo));
        return subscription;
    }

    async Task Send(string path, DateTimeOffset at, string ip, string? referrer = null, string name = "pageview")
    {
        using var response = await server.PostEventAsync(Event(name, Domain, $"https://{Domain}{path}", at, ip, UserAgents.ChromeWindows, referrer), key);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task WeeklyReport_SentOncePerWeek_WithTheWeeksNumbersAgainstTheWeekBefore_InEachRecipientsLanguage()
    {
        var now = DateTimeOffset.UtcNow;
        var week = ReportPeriod.Latest(EmailReportKind.Weekly, TimeZoneInfo.Utc, now);
        var day = new DateTimeOffset(week.From.AddDays(1).ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero);
        server.Services.GetRequiredService<GoalService>().Add(site.Id, null, "Signup", null);
        // The week: A reads two pages a minute apart, B bounces, C comes from Google and signs up (not a bounce: the signup is interactive).
        await Send("/", day, "198.51.100.1");
        await Send("/pricing", day.AddMinutes(1), "198.51.100.1");
        await Send("/", day.AddHours(1), "198.51.100.2");
        await Send("/pricing", day.AddDays(2), "198.51.100.3", "https://www.google.com/");
        await Send("/pricing", day.AddDays(2), "198.51.100.3", name: "Signup");
        // The week before: two one-page visits.
        await Send("/", day.AddDays(-7), "198.51.100.4");
        await Send("/", day.AddDays(-6), "198.51.100.5");
        Subscribe(EmailReportKind.Weekly, "head@panorama.test");
        Subscribe(EmailReportKind.Weekly, "rukovoditel@panorama.test", "ru");
        Subscribe(EmailReportKind.Monthly, "later@panorama.test").Id.ToString();
        // A monthly subscription made after this month's report was due waits for the next one.
        Subscriptions.Add(site.Id, EmailReportKind.Monthly, "new@panorama.test", "en", null);

        Assert.Equal(3, await Runner.RunAsync(now, CancellationToken.None));
        Assert.Equal(0, await Runner.RunAsync(now.AddMinutes(1), CancellationToken.None));

        var english = smtp.Messages.Single(m => m.To.ToString() == "head@panorama.test");
        var dates = week.From.Month == week.To.Month ? $"{week.From:%d}–{week.To:d MMM yyyy}" : $"{week.From:d MMM} – {week.To:d MMM yyyy}";
        Assert.Equal($"{Domain}: weekly report, {dates}", english.Subject);
        Assert.Equal("stats@panorama.test", english.From.Mailboxes.Single().Address);
        var text = english.TextBody;
        Assert.Contains("Unique visitors: 3 (+50%)", text);
        Assert.Contains("Total visits: 3 (+50%)", text);
        Assert.Contains("Total pageviews: 4 (+100%)", text);
        Assert.Contains("Bounce rate: 33% (−67 pp)", text);
        Assert.Contains("Visit duration: 0m 20s (+100%)", text);
        Assert.Contains("  Google: 1", text);
        Assert.Contains("  Direct / None: 2", text);
        Assert.Contains("  /pricing: 2", text);
        Assert.Contains("  Signup: 1 / 1 / 33.33%", text);
        Assert.Contains($"https://stats.panorama.test/sites/{Domain}?period=custom&from={week.From:yyyy-MM-dd}&to={week.To:yyyy-MM-dd}&compare=previous_period", text);
        Assert.Contains("<b>3</b>", english.HtmlBody);
        var unsubscribe = english.Headers["List-Unsubscribe"];
        Assert.Matches(@"^<https://stats\.panorama\.test/email/unsubscribe/[0-9a-f]{32}>$", unsubscribe);

        var russian = smtp.Messages.Single(m => m.To.ToString() == "rukovoditel@panorama.test");
        Assert.StartsWith($"{Domain}: отчёт за неделю, ", russian.Subject);
        Assert.Contains("Уникальные посетители: 3 (+50%)", russian.TextBody);
        Assert.Contains("Отказы: 33% (−67 п. п.)", russian.TextBody);

        var monthly = smtp.Messages.Single(m => m.To.ToString() == "later@panorama.test");
        Assert.Contains("monthly report", monthly.Subject);
        Assert.DoesNotContain(smtp.Messages, m => m.To.ToString() == "new@panorama.test");
    }

    [Fact]
    public async Task RefusedMessage_IsTriedAgain_UnsubscribeLinkStopsIt_DeletingTheSiteDeletesTheRest()
    {
        var now = DateTimeOffset.UtcNow;
        Subscribe(EmailReportKind.Weekly, "boss@panorama.test");
        smtp.Refuse = true;
        Assert.Equal(0, await Runner.RunAsync(now, CancellationToken.None));
        Assert.Contains("panorama_emails_failed_total 1", await server.Http.GetStringAsync("/metrics"));
        smtp.Refuse = false;
        Assert.Equal(1, await Runner.RunAsync(now.AddMinutes(1), CancellationToken.None));
        Assert.Contains("panorama_emails_sent_total 1", await server.Http.GetStringAsync("/metrics"));
        var message = smtp.Messages.Single();
        Assert.Contains("No data for this period.", message.TextBody);

        var link = new Uri(Unsubscribe().Match(message.TextBody!).Groups[1].Value);
        using var visitor = new WebSession(server.BaseUrl);
        var page = await visitor.GetAsync(link.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Stop sending these messages about mailed.example to boss@panorama.test?", WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync()));
        Assert.Single(Subscriptions.For(site.Id));
        var done = await visitor.PostFormAsync(link.PathAndQuery, link.PathAndQuery, []);
        Assert.Contains("will receive no more", await done.Content.ReadAsStringAsync());
        Assert.Empty(Subscriptions.For(site.Id));
        Assert.Equal(HttpStatusCode.NotFound, (await visitor.GetAsync(link.PathAndQuery)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await visitor.GetAsync("/email/unsubscribe/" + new string('0', 32))).StatusCode);

        Subscribe(EmailReportKind.Monthly, "boss@panorama.test");
        await server.Services.GetRequiredService<SiteDeletion>().DeleteAsync(site, "test", CancellationToken.None);
        using var db = server.Services.GetRequiredService<IDbContextFactory<PanoramaDbContext>>().CreateDbContext();
        Assert.Equal((0, 0), (db.EmailSubscriptions.Count(), db.EmailDeliveries.Count()));
    }

    [Fact]
    public async Task OldDeliveries_Forgotten_TheLatestReportStillSentOnce()
    {
        var now = DateTimeOffset.UtcNow;
        var subscription = Subscribe(EmailReportKind.Weekly, "boss@panorama.test");
        Assert.True(Subscriptions.Claim(subscription.Id, "week:2026-01-05", now - EmailReportRunner.DeliveriesKept - TimeSpan.FromDays(1)));
        Assert.True(Subscriptions.Claim(subscription.Id, "week:2026-08-03", now - EmailReportRunner.DeliveriesKept + TimeSpan.FromDays(1)));
        Assert.Equal(1, await Runner.RunAsync(now, CancellationToken.None));
        Assert.Equal(0, await Runner.RunAsync(now.AddMinutes(1), CancellationToken.None));
        using var db = server.Services.GetRequiredService<IDbContextFactory<PanoramaDbContext>>().CreateDbContext();
        Assert.Equal(["week:2026-08-03", ReportPeriod.Latest(EmailReportKind.Weekly, TimeZoneInfo.FindSystemTimeZoneById(site.TimeZone), now).Key],
            db.EmailDeliveries.OrderBy(d => d.Id).Select(d => d.Period).ToList());
    }

    [Fact]
    public async Task DepartmentDigest_DueAtNineInTheDepartmentsTimeZone()
    {
        server.Services.GetRequiredService<Panorama.Core.Department.DepartmentStore>().Save("settings: {time_zone: Asia/Vladivostok}\n", "test");
        var subscription = Subscriptions.Add(null, EmailReportKind.DepartmentDigest, "head@mail.test", "en", null);
        using (var db = server.Services.GetRequiredService<IDbContextFactory<PanoramaDbContext>>().CreateDbContext())
            db.EmailSubscriptions.ExecuteUpdate(set => set.SetProperty(s => s.CreatedAt, new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero)));
        // Sunday 23:30 UTC is Monday 09:30 in Vladivostok (UTC+10): this Monday's digest, for the week before, is due
        // there, nine and a half hours before it would be in UTC.
        Assert.Equal(1, await Runner.RunAsync(new DateTimeOffset(2026, 11, 22, 23, 30, 0, TimeSpan.Zero), CancellationToken.None));
        using var check = server.Services.GetRequiredService<IDbContextFactory<PanoramaDbContext>>().CreateDbContext();
        Assert.Equal("week:2026-11-16", check.EmailDeliveries.Single(d => d.SubscriptionId == subscription.Id).Period);
    }

    [Fact]
    public async Task Spike_NotifiesThoseWhoseThresholdIsReached_OncePerTwelveHours()
    {
        Subscribe(EmailReportKind.Spike, "ops@panorama.test", threshold: 2);
        Subscribe(EmailReportKind.Spike, "calm@panorama.test", threshold: 3);
        var now = DateTimeOffset.UtcNow;
        Assert.Equal(0, await Runner.RunAsync(now, CancellationToken.None));
        await Send("/launch", now.AddSeconds(-30), "198.51.100.7", "https://t.me/");
        await Send("/launch", now.AddSeconds(-20), "198.51.100.8");
        Assert.Equal(1, await Runner.RunAsync(now, CancellationToken.None));
        var message = smtp.Messages.Single();
        Assert.Equal("ops@panorama.test", message.To.ToString());
        Assert.Equal($"{Domain}: traffic spike, 2 current visitors", message.Subject);
        Assert.Contains("  /launch: 2", message.TextBody);
        Assert.Contains("  Telegram: 1", message.TextBody);
        Assert.Equal(0, await Runner.RunAsync(now.AddHours(11), CancellationToken.None));
    }

    [Fact]
    public async Task Drop_NotifiesWhenTwelveHoursFallBelowTheThreshold_NotInTheFirstTwelveHours()
    {
        var now = DateTimeOffset.UtcNow;
        await Send("/", now.AddHours(-13), "198.51.100.30");
        await Send("/", now.AddHours(-2), "198.51.100.31");
        await Send("/pricing", now.AddHours(-1), "198.51.100.32", "https://yandex.ru/");
        var fresh = Subscriptions.Add(site.Id, EmailReportKind.Drop, "fresh@panorama.test", "ru", 5);
        Subscribe(EmailReportKind.Drop, "watch@panorama.test", threshold: 2);
        Subscribe(EmailReportKind.Drop, "worried@panorama.test", threshold: 5);

        // Two visitors in the last 12 hours: below 5, not below 2; the subscription made just now waits its 12 hours.
        Assert.Equal(1, await Runner.RunAsync(now, CancellationToken.None));
        var message = smtp.Messages.Single();
        Assert.Equal("worried@panorama.test", message.To.ToString());
        Assert.Equal($"{Domain}: traffic drop, 2 visitors in 12 hours", message.Subject);
        Assert.Contains("  Yandex: 1", message.TextBody);
        Assert.Equal(0, await Runner.RunAsync(now.AddHours(6), CancellationToken.None));
        Assert.DoesNotContain(smtp.Messages, m => m.To.ToString() == fresh.Email);
    }

    [Fact]
    public async Task SettingsForm_AdminAddsAndSendsNow_BadAddressRefused_EditorCannot()
    {
        await server.CreateUserAsync("admin@mail.test", false, (site.Id, SiteRole.Admin));
        await server.CreateUserAsync("editor@mail.test", false, (site.Id, SiteRole.Editor));
        var settings = $"/sites/{Domain}/settings";
        using (var editor = await WebSession.SignInAsync(server, "editor@mail.test"))
        {
            Assert.DoesNotContain("email-recipients", await (await editor.GetAsync(settings)).Content.ReadAsStringAsync());
            var refused = await editor.PostFormAsync(settings, settings + "?handler=AddEmailReport", new() { ["kind"] = "Weekly", ["email"] = "x@panorama.test" });
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        }
        using var admin = await WebSession.SignInAsync(server, "admin@mail.test");
        var bad = await admin.PostFormAsync(settings, settings + "?handler=AddEmailReport", new() { ["kind"] = "Weekly", ["email"] = "not an address" });
        Assert.Contains("'not an address' is not an email address.", WebUtility.HtmlDecode(await bad.Content.ReadAsStringAsync()));
        var noThreshold = await admin.PostFormAsync(settings, settings + "?handler=AddEmailReport", new() { ["kind"] = "Spike", ["email"] = "ops@panorama.test" });
        Assert.Contains("A traffic spike needs a number", await noThreshold.Content.ReadAsStringAsync());
        Assert.Empty(Subscriptions.For(site.Id));

        var added = await admin.PostFormAsync(settings, settings + "?handler=AddEmailReport",
            new() { ["kind"] = "Weekly", ["email"] = "team@panorama.test", ["language"] = "ru" });
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        var subscription = Assert.Single(Subscriptions.For(site.Id));
        Assert.Equal((EmailReportKind.Weekly, "ru"), (subscription.Kind, subscription.Language));
        var page = await (await admin.GetAsync(settings)).Content.ReadAsStringAsync();
        Assert.Contains("team@panorama.test", page);

        var sent = await admin.PostFormAsync(settings, settings + "?handler=SendEmailReport", new() { ["id"] = subscription.Id.ToString() });
        Assert.Contains("Sent to team@panorama.test.", await sent.Content.ReadAsStringAsync());
        Assert.Contains("отчёт за неделю", smtp.Messages.Single().Subject);
        Assert.Contains("added email report", string.Join("\n", server.Services.GetRequiredService<AccessAudit>().Latest(20).Select(e => e.Action)));

        var removed = await admin.PostFormAsync(settings, settings + "?handler=RemoveEmailReport", new() { ["id"] = subscription.Id.ToString() });
        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        Assert.Empty(Subscriptions.For(site.Id));
    }

    [Fact]
    public async Task DepartmentDigest_AskedForOnTheDepartmentPage_SaysWhatThePagesSay()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        server.Services.GetRequiredService<Panorama.Core.Department.DepartmentStore>().Save($$"""
            strategies:
              - id: s1
                title: Sell more
                effective_from: {{today.AddDays(-30):yyyy-MM-dd}}
                objectives:
                  - id: reach
                    title: Reach
                    kpis:
                      - {id: people, name: Visitors, site: {{Domain}}, metric: visitors, target: 4, period_from: {{today.AddDays(-3):yyyy-MM-dd}}, period_to: {{today:yyyy-MM-dd}}}
            units: [{id: web, name: Web}]
            people: [{id: anna, name: Anna, unit: web, hours_per_week: 40}]
            functions: [{id: seo, name: SEO, unit: web, accountable: [anna], weekly_hours: 30, objectives: [reach], criticality: critical}]
            """, "test");
        var now = DateTimeOffset.UtcNow;
        await Send("/", now.AddMinutes(-10), "198.51.100.21");
        await Send("/", now.AddMinutes(-9), "198.51.100.22");
        var register = server.Services.GetRequiredService<Panorama.Core.Decisions.DecisionRegister>();
        var decision = await register.ProposeAsync(new Panorama.Core.Decisions.Decision
        {
            Title = "Double the SEO budget", ProposedBy = "anna@mail.test", Importance = Panorama.Core.Decisions.Importance.Important,
        }, [], CancellationToken.None);
        register.Submit(decision.Id, "anna@mail.test");

        await server.CreateUserAsync("head@mail.test", owner: true);
        using var head = await WebSession.SignInAsync(server, "head@mail.test");
        Assert.Contains("Email me a weekly digest", await (await head.GetAsync("/department")).Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await head.PostFormAsync("/department", "/department?handler=Digest", [])).StatusCode);
        var subscription = Assert.Single(Subscriptions.For(null));
        Assert.Equal((EmailReportKind.DepartmentDigest, "head@mail.test"), (subscription.Kind, subscription.Email));
        Assert.Contains("Stop my weekly digest", await (await head.GetAsync("/department")).Content.ReadAsStringAsync());
        var sentNow = await head.PostFormAsync("/department", "/department?handler=SendDigest", []);
        Assert.Contains("Sent to head@mail.test.", await sentNow.Content.ReadAsStringAsync());
        Assert.StartsWith("Internet-marketing department", Assert.Single(smtp.Messages).Subject);
        smtp.Messages.Clear();

        // Made now, it starts with next Monday's; as if made a month ago, this week's is due.
        Assert.Equal(0, await Runner.RunAsync(now, CancellationToken.None));
        using (var db = server.Services.GetRequiredService<IDbContextFactory<PanoramaDbContext>>().CreateDbContext())
            db.EmailSubscriptions.ExecuteUpdate(set => set.SetProperty(s => s.CreatedAt, now.AddDays(-40)));
        Assert.Equal(1, await Runner.RunAsync(now, CancellationToken.None));
        Assert.Equal(0, await Runner.RunAsync(now.AddMinutes(1), CancellationToken.None));
        var digest = smtp.Messages.Single();
        Assert.StartsWith("Internet-marketing department: the week to ", digest.Subject);
        var text = digest.TextBody!;
        Assert.Contains("Strategy: Sell more", text);
        Assert.Contains("  Reach · Visitors: 2 of 4 (50%), behind", text);
        Assert.Contains($"  #{decision.Id} Double the SEO budget (Important)", text);
        Assert.Matches(@"Structure health: \d+ findings: \d+ high, \d+ medium, \d+ low", text);
        Assert.Contains("/department", text);

        Assert.Equal(HttpStatusCode.Redirect, (await head.PostFormAsync("/department", "/department?handler=StopDigest", [])).StatusCode);
        Assert.Empty(Subscriptions.For(null));
    }

    [GeneratedRegex(@"Unsubscribe: (\S+)")]
    private static partial Regex Unsubscribe();
}
