using Microsoft.Extensions.DependencyInjection;
using Panorama.Core.Accounts;
using Panorama.Core.Sites;

namespace Panorama.Cli;

/// <summary><c>panorama sites exclude</c>: a site's exclusions (<see cref="SiteShield"/>) from files, one entry a line.</summary>
static class SiteExclusionCommands
{
    static readonly (string Option, string List)[] Lists =
        [("ips", "Excluded IP addresses"), ("pages", "Excluded pages"), ("hostnames", "Allowed hostnames"), ("countries", "Excluded countries")];

    public static int Run(CommandLine line, string domain)
    {
        using var services = Commands.Services(line);
        var site = Commands.RequireSite(services, domain);
        var given = Lists.Where(list => line.Option(list.Option) is not null).ToList();
        if (given.Count > 0)
        {
            var text = given.ToDictionary(list => list.Option, list => Read(line.Option(list.Option)!, list.Option));
            string? Value(string option, string? current) => text.TryGetValue(option, out var read) ? read : current;
            var (ips, pages, hostnames, countries) =
                (Value("ips", site.ExcludedIps), Value("pages", site.ExcludedPages), Value("hostnames", site.AllowedHostnames), Value("countries", site.ExcludedCountries));
            var errors = SiteShield.Validate(ips, pages, hostnames, countries);
            if (errors.Count > 0)
            {
                // "Excluded IP addresses, line 2: …" names the file it came from instead.
                var named = errors.Select(error => given.Aggregate(error, (message, list) =>
                    message.Replace(list.List + ",", $"{line.Option(list.Option)},", StringComparison.Ordinal)));
                throw new CommandLineException(string.Join(Environment.NewLine, named));
            }
            site = services.GetRequiredService<SiteDirectory>().SaveExclusions(site.Id, ips, pages, hostnames, countries);
            services.GetRequiredService<AccessAudit>().Record("cli", "changed exclusions", $"on {site.Domain}: {string.Join(", ", given.Select(list => list.Option))}");
        }
        Print("Excluded IP addresses and networks", site.ExcludedIps);
        Print("Excluded pages", site.ExcludedPages);
        Print("Allowed hostnames", site.AllowedHostnames ?? "(any)");
        Print("Excluded countries", site.ExcludedCountries);
        return 0;
    }

    static string Read(string path, string option)
    {
        if (path == "-") return Console.In.ReadToEnd();
        if (!File.Exists(path)) throw new CommandLineException($"--{option} {path}: no such file.");
        return File.ReadAllText(path);
    }

    static void Print(string title, string? list)
    {
        Console.WriteLine($"{title}:");
        foreach (var entry in (list ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries)) Console.WriteLine($"  {entry}");
    }
}
