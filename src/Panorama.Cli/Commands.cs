using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.EntityFrameworkCore;
using Panorama.Core.Access;
using Panorama.Core.Data;
using Panorama.Core.Department;
using Panorama.Core.Goals;
using Panorama.Core.Sites;
using Panorama.Storage.DuckDb;
using Panorama.Web;

namespace Panorama.Cli;

/// <summary>The <c>panorama</c> command: the server, the demo, and non-interactive administration.</summary>
static class Commands
{
    const string Usage = """
        Usage:
          panorama [serve] [--data DIR] [--urls URL]     run the server (default http://127.0.0.1:5080)
          panorama demo [--data DIR] [--urls URL]        run it with a demo site full of generated traffic
          panorama sites add DOMAIN [--timezone TZ]      register a site
          panorama sites delete DOMAIN --yes             delete a site with all its data (with the embedded store, while
                                                         no server holds it; a running server does it in the site's settings)
          panorama sites list
          panorama sites rename DOMAIN NEW_DOMAIN        change a site's domain, keeping its data (the old one still reaches
                                                         it for 72 hours, for trackers not yet updated)
          panorama sites exclude DOMAIN [--ips FILE] [--pages FILE] [--hostnames FILE] [--countries FILE]
                                                         replace a site's excluded IPs/networks, excluded pages, allowed
                                                         hostnames or excluded countries with a file's lines ('-' reads stdin; an empty file clears);
                                                         without options, print them
          panorama keys create --name NAME [--site DOMAIN ...]   create an API key (printed once)
          panorama keys list
          panorama goals add DOMAIN (--page /path/* [--scroll 75] | --event NAME [--currency EUR]) [--prop NAME=VALUE]… [--name "Goal name"]
          panorama goals list DOMAIN
          panorama goals rename DOMAIN GOAL_ID "New name"      ("" gives the default name back; the old one still reaches it)
          panorama department export [--format yaml|json]    print the department model
          panorama department import FILE [--note TEXT]     replace it (all or nothing; errors name the line)
          panorama users reset-password EMAIL            set a new random password for an account (printed once) and unlock it
          panorama email test ADDRESS                    send a message through the configured SMTP server (Panorama:Email:*)
          panorama migrate [--clickhouse URL[,URL...]]     bring the relational schema up to date (PostgreSQL migrations), and
                                                         create ClickHouse's (Distributed over the shards when several)
          panorama migrate-events --from duckdb --to clickhouse [--data DIR] [--clickhouse URL,...] [--node N]
                                                         copy the embedded events into ClickHouse (resumable, verified per site and day)
        Settings: --data DIR, or Panorama__DataDirectory; any Panorama:* setting as --Panorama:Key=value.
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        try
        {
            var line = CommandLine.Parse(args, "data", "timezone", "name", "site", "page", "event", "currency", "prop", "scroll", "format", "note",
                "clickhouse", "node", "from", "to", "ips", "pages", "hostnames", "countries");
            var words = line.Words;
            switch (words.FirstOrDefault())
            {
                case null or "serve":
                    return await Serve(line, demo: false);
                case "demo":
                    return await Serve(line, demo: true);
                case "sites" when words.ElementAtOrDefault(1) == "add" && words.Count == 3:
                    return AddSite(line, words[2]);
                case "sites" when words.ElementAtOrDefault(1) == "rename" && words.Count == 4:
                    return RenameSite(line, words[2], words[3]);
                case "sites" when words.ElementAtOrDefault(1) == "delete" && words.Count == 3:
                    return await DeleteSite(line, words[2]);
                case "sites" when words.ElementAtOrDefault(1) == "list":
                    return ListSites(line);
                case "sites" when words.ElementAtOrDefault(1) == "exclude" && words.Count == 3:
                    return SiteExclusionCommands.Run(line, words[2]);
                case "keys" when words.ElementAtOrDefault(1) == "create":
                    return CreateKey(line);
                case "keys" when words.ElementAtOrDefault(1) == "list":
                    return ListKeys(line);
                case "goals" when words.ElementAtOrDefault(1) == "add" && words.Count == 3:
                    return AddGoal(line, words[2]);
                case "goals" when words.ElementAtOrDefault(1) == "list" && words.Count == 3:
                    return ListGoals(line, words[2]);
                case "goals" when words.ElementAtOrDefault(1) == "rename" && words.Count == 5:
                    return RenameGoal(line, words[2], words[3], words[4]);
                case "department" when words.ElementAtOrDefault(1) == "export" && words.Count == 2:
                    return ExportDepartment(line);
                case "department" when words.ElementAtOrDefault(1) == "import" && words.Count == 3:
                    return ImportDepartment(line, words[2]);
                case "users" when words.ElementAtOrDefault(1) == "reset-password" && words.Count == 3:
                    return await UserCommands.ResetPasswordAsync(line, words[2]);
                case "email" when words.ElementAtOrDefault(1) == "test" && words.Count == 3:
                    return await SendTestEmail(line, words[2]);
                case "migrate" when words.Count == 1:
                    return await EventCommands.MigrateAsync(line, () => Services(line));
                case "migrate-events" when words.Count == 1:
                    return await EventCommands.MigrateEventsAsync(line);
                case "help" or "--help" or "-h":
                    Console.WriteLine(Usage);
                    return 0;
                default:
                    Console.Error.WriteLine($"panorama: unknown command '{string.Join(' ', words)}'.");
                    Console.Error.WriteLine(Usage);
                    return 2;
            }
        }
        catch (CommandLineException exception)
        {
            Console.Error.WriteLine($"panorama: {exception.Message}");
            return 2;
        }
    }

    static async Task<int> Serve(CommandLine line, bool demo)
    {
        var dataDirectory = line.Option("data") ?? (demo ? "panorama-demo-data" : null);
        var hostArgs = line.HostArguments.ToList();
        if (dataDirectory is not null) hostArgs.Add($"--Panorama:DataDirectory={dataDirectory}");
        Microsoft.AspNetCore.Builder.WebApplication app;
        try
        {
            app = PanoramaServer.Build(hostArgs.ToArray());
        }
        catch (Exception exception) when (Panorama.Storage.DuckDb.DuckDbEventStore.HeldByAnotherProcess(exception))
        {
            // DuckDB's message names the file and the process holding it.
            Console.Error.WriteLine($"panorama: the data folder is in use by another server; one server per data folder. ({exception.Message})");
            return 1;
        }
        await using (app)
        {
            string? demoKey = null;
            DemoSeed.Result? seeded = null;
            if (demo)
            {
                seeded = await DemoSeed.RunAsync(app.Services);
                demoKey = seeded.ApiKey;
            }
            try
            {
                await app.StartAsync();
            }
            catch (IOException exception) when (exception.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
            {
                Console.Error.WriteLine($"panorama: {exception.Message} Another program listens there; choose an address with --urls.");
                return 1;
            }
            var url = app.Urls.FirstOrDefault() ?? PanoramaServer.DefaultUrl;
            Console.WriteLine($"Panorama is running at {url}");
            if (seeded is not null)
            {
                Console.WriteLine($"Demo site:  {seeded.Domain} ({seeded.EventCount} events over the last {DemoSeed.Days} days)");
                Console.WriteLine($"Dashboard:  {url}/sites/{seeded.Domain}  (sign in as {DemoSeed.OwnerEmail}, password {seeded.OwnerPassword})");
                Console.WriteLine($"API key:    {demoKey}");
                Console.WriteLine($"Try:        curl -H \"Authorization: Bearer {demoKey}\" \"{url}/api/v1/stats/summary?site_id={seeded.Domain}&period=7d\"");
            }
            Console.WriteLine("Press Ctrl+C to stop.");
            await app.WaitForShutdownAsync();
        }
        return 0;
    }

    /// <summary>Services for commands that only touch the relational store (safe while a server runs).</summary>
    internal static ServiceProvider Services(CommandLine line)
    {
        var settings = new Dictionary<string, string?>();
        if (line.Option("data") is { } data) settings["Panorama:DataDirectory"] = data;
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(line.HostArguments.ToArray())
            .AddInMemoryCollection(settings)
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        PanoramaServer.AddPanorama(services, configuration);
        var provider = services.BuildServiceProvider();
        PanoramaServer.InitializeRelational(provider);
        return provider;
    }

    /// <summary>Checks the SMTP settings the reports will use: exit 1 with the server's answer when it refuses.</summary>
    static async Task<int> SendTestEmail(CommandLine line, string address)
    {
        using var services = Services(line);
        var mailer = services.GetRequiredService<Panorama.Web.Email.SmtpMailer>();
        var email = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<PanoramaOptions>>().Value.Email;
        if (!mailer.IsConfigured) throw new CommandLineException("email is not configured: set Panorama:Email:SmtpHost (and SmtpPort, Username, Password, From).");
        if (!MimeKit.MailboxAddress.TryParse(address, out var to) || !to.Address.Contains('@', StringComparison.Ordinal))
            throw new CommandLineException($"'{address}' is not an email address.");
        var message = new MimeKit.MimeMessage
        {
            Subject = "Panorama: test message",
            Body = new MimeKit.TextPart("plain") { Text = $"This message checks the SMTP settings Panorama sends its email reports with ({email.SmtpHost}:{email.SmtpPort})." },
        };
        message.To.Add(to);
        try
        {
            await mailer.SendAsync(message, CancellationToken.None);
        }
        catch (Exception exception) when (Panorama.Web.Email.SmtpMailer.IsDeliveryFailure(exception))
        {
            Console.Error.WriteLine($"panorama: {email.SmtpHost}:{email.SmtpPort} did not take the message: {exception.Message}");
            return 1;
        }
        Console.WriteLine($"Sent to {to.Address} through {email.SmtpHost}:{email.SmtpPort}.");
        return 0;
    }

    static int ExportDepartment(CommandLine line)
    {
        var format = line.Option("format") ?? "yaml";
        if (format is not ("yaml" or "json")) throw new CommandLineException("--format is yaml or json.");
        using var services = Services(line);
        Console.Write(DepartmentDocument.Write(services.GetRequiredService<DepartmentStore>().Current().Model, json: format == "json"));
        return 0;
    }

    static int ImportDepartment(CommandLine line, string file)
    {
        if (!File.Exists(file)) throw new CommandLineException($"{file}: no such file.");
        using var services = Services(line);
        try
        {
            var revision = services.GetRequiredService<DepartmentStore>().Save(File.ReadAllText(file), "cli", line.Option("note") ?? $"imported from {Path.GetFileName(file)}");
            Console.WriteLine($"Department saved as revision {revision.Id}.");
            return 0;
        }
        catch (DepartmentDocumentException exception)
        {
            foreach (var error in exception.Errors) Console.Error.WriteLine($"{file}: {error}");
            Console.Error.WriteLine("panorama: nothing was imported.");
            return 1;
        }
    }

    static int AddSite(CommandLine line, string domain)
    {
        using var services = Services(line);
        var timeZone = line.Option("timezone") ?? "UTC";
        if (SiteDomain.Normalize(domain) is null) throw new CommandLineException($"'{domain}' is not a valid domain.");
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out _)) throw new CommandLineException($"'{timeZone}' is not a known time zone (use an IANA name such as Europe/Moscow).");
        Site site;
        try
        {
            site = services.GetRequiredService<SiteDirectory>().Add(domain, timeZone);
        }
        catch (ArgumentException exception)
        {
            throw new CommandLineException(exception.Message);
        }
        Console.WriteLine($"Site {site.Domain} (time zone {site.TimeZone}). Tracking snippet:");
        Console.WriteLine($"<script defer data-domain=\"{site.Domain}\" src=\"{PanoramaServer.DefaultUrl}/js/script.js\"></script>");
        return 0;
    }

    static int RenameSite(CommandLine line, string domain, string newDomain)
    {
        using var services = Services(line);
        var site = RequireSite(services, domain);
        try
        {
            site = services.GetRequiredService<SiteDomainChange>().Apply(site, newDomain, "cli");
        }
        catch (ArgumentException exception)
        {
            throw new CommandLineException(exception.Message);
        }
        Console.WriteLine($"Site {site.Domain}, formerly {site.PreviousDomain}: events sent for either reach it until " +
            $"{site.DomainChangedAt + SiteDirectory.DomainTransition:yyyy-MM-dd HH:mm} UTC. Update the tracking snippet:");
        Console.WriteLine($"<script defer data-domain=\"{site.Domain}\" src=\"{PanoramaServer.DefaultUrl}/js/script.js\"></script>");
        return 0;
    }

    static async Task<int> DeleteSite(CommandLine line, string domain)
    {
        if (!line.Flag("yes")) throw new CommandLineException($"sites delete removes {domain} and all its data for good: add --yes to confirm.");
        using var services = Services(line);
        var site = RequireSite(services, domain);
        long events;
        try
        {
            events = await services.GetRequiredService<SiteDeletion>().DeleteAsync(site, "cli", CancellationToken.None);
        }
        catch (Exception exception) when (DuckDbEventStore.HeldByAnotherProcess(exception))
        {
            throw new CommandLineException("A running server holds the event store: delete the site in its settings, or through DELETE /api/v1/sites/DOMAIN.");
        }
        Console.WriteLine($"Deleted {site.Domain} and its {events} events.");
        return 0;
    }

    static int ListSites(CommandLine line)
    {
        using var services = Services(line);
        foreach (var site in services.GetRequiredService<SiteDirectory>().All())
            Console.WriteLine($"{site.Domain}\t{site.TimeZone}\t{site.PublicId}");
        return 0;
    }

    static int CreateKey(CommandLine line)
    {
        var name = line.Option("name") ?? throw new CommandLineException("keys create needs --name NAME.");
        using var services = Services(line);
        var sites = services.GetRequiredService<SiteDirectory>();
        var siteIds = new List<int>();
        foreach (var domain in line.Options("site"))
        {
            var site = sites.FindByDomain(SiteDomain.Normalize(domain) ?? "") ?? throw new CommandLineException($"No site '{domain}'. Add it first with 'panorama sites add'.");
            siteIds.Add(site.Id);
        }
        var (_, secret) = services.GetRequiredService<ApiKeyService>().Create(name, siteIds);
        services.GetRequiredService<Panorama.Core.Accounts.AccessAudit>().Record("cli", "created API key", $"'{name}' for {(siteIds.Count == 0 ? "every site" : string.Join(", ", line.Options("site")))}");
        // The secret goes to stdout alone so scripts can capture it; it is not stored and cannot be shown again.
        Console.WriteLine(secret);
        Console.Error.WriteLine($"Created API key '{name}' for {(siteIds.Count == 0 ? "all sites" : string.Join(", ", line.Options("site")))}. Store it now: it is shown only once.");
        return 0;
    }

    internal static Site RequireSite(ServiceProvider services, string domain) =>
        services.GetRequiredService<SiteDirectory>().FindByDomain(SiteDomain.Normalize(domain) ?? "")
            ?? throw new CommandLineException($"No site '{domain}'. Add it first with 'panorama sites add'.");

    static int AddGoal(CommandLine line, string domain)
    {
        using var services = Services(line);
        var site = RequireSite(services, domain);
        try
        {
            var props = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var prop in line.Options("prop"))
            {
                var at = prop.IndexOf('=', StringComparison.Ordinal);
                if (at <= 0) throw new CommandLineException($"--prop '{prop}' is not NAME=VALUE.");
                if (!props.TryAdd(prop[..at], prop[(at + 1)..])) throw new CommandLineException($"--prop '{prop[..at]}' is given twice.");
            }
            int? scroll = line.Option("scroll") is not { } depth ? null
                : int.TryParse(depth, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value
                : throw new CommandLineException($"--scroll '{depth}' is not a number from 1 to 100.");
            var goal = services.GetRequiredService<GoalService>().Add(site.Id, line.Option("page"), line.Option("event"), line.Option("currency"), props, line.Option("name"), scroll);
            Console.WriteLine($"Goal {goal.Id}: {goal.DisplayName}{(goal.Currency is null ? "" : $" (revenue in {goal.Currency})")}");
            return 0;
        }
        catch (ArgumentException exception)
        {
            throw new CommandLineException(exception.Message.Replace("'page_path'", "--page").Replace("'event_name'", "--event").Replace("'currency'", "--currency")
                .Replace("'custom_props'", "--prop").Replace("'display_name'", "--name").Replace("'scroll_threshold'", "--scroll"));
        }
    }

    static int RenameGoal(CommandLine line, string domain, string id, string name)
    {
        using var services = Services(line);
        var site = RequireSite(services, domain);
        if (!int.TryParse(id, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var goalId))
            throw new CommandLineException($"'{id}' is not a goal id (panorama goals list {domain}).");
        try
        {
            var goal = services.GetRequiredService<GoalService>().Rename(site.Id, goalId, name)
                ?? throw new CommandLineException($"{domain} has no goal {goalId} (panorama goals list {domain}).");
            Console.WriteLine($"Goal {goal.Id}: {goal.DisplayName}{(goal.FormerNames is null ? "" : $" (formerly {string.Join(", ", goal.FormerNameList)})")}");
            return 0;
        }
        catch (ArgumentException exception)
        {
            throw new CommandLineException(exception.Message.Replace("'display_name'", "the name"));
        }
    }

    static int ListGoals(CommandLine line, string domain)
    {
        using var services = Services(line);
        foreach (var goal in services.GetRequiredService<GoalService>().ForSite(RequireSite(services, domain).Id))
            Console.WriteLine($"{goal.Id}\t{goal.DisplayName}\t{goal.Currency}");
        return 0;
    }

    static int ListKeys(CommandLine line)
    {
        using var services = Services(line);
        foreach (var key in services.GetRequiredService<ApiKeyService>().All())
            Console.WriteLine($"{key.Prefix}…\t{key.Name}\t{(key.SiteScope.Length == 0 ? "all sites" : "sites " + key.SiteScope)}\t{key.CreatedAt:yyyy-MM-dd}");
        return 0;
    }
}
