using Panorama.Tests.Support;

namespace Panorama.Tests.Integration;

/// <summary>The <c>panorama</c> command's administration verbs, run as a user would.</summary>
public sealed class CliTests
{
    [Fact]
    public async Task SitesKeysGoals_NonInteractive_WorkAndReportErrors()
    {
        using var data = new TempDirectory();
        var (code, output, _) = await PanoramaProcess.RunAsync("sites", "add", "https://www.Shop.Example/", "--timezone", "Europe/Moscow", "--data", data.Path);
        Assert.Equal(0, code);
        Assert.Contains("data-domain=\"shop.example\"", output);

        (code, output, _) = await PanoramaProcess.RunAsync("keys", "create", "--name", "ci", "--site", "shop.example", "--data", data.Path);
        Assert.Equal(0, code);
        Assert.Matches("^pk_[0-9a-f]{64}$", output.Trim());

        (code, _, _) = await PanoramaProcess.RunAsync("goals", "add", "shop.example", "--event", "Purchase", "--currency", "rub", "--data", data.Path);
        Assert.Equal(0, code);
        (code, output, _) = await PanoramaProcess.RunAsync("goals", "add", "shop.example", "--event", "Signup", "--prop", "plan=pro", "--prop", "seats=10", "--data", data.Path);
        Assert.Equal((0, "Signup (plan=pro, seats=10)"), (code, output.Trim()[(output.IndexOf(':', StringComparison.Ordinal) + 2)..]));
        (code, output, _) = await PanoramaProcess.RunAsync("goals", "list", "shop.example", "--data", data.Path);
        Assert.Contains("Purchase\tRUB", output);
        Assert.Contains("Signup (plan=pro, seats=10)", output);
        (code, output, _) = await PanoramaProcess.RunAsync("goals", "add", "shop.example", "--page", "/blog/**", "--scroll", "75", "--data", data.Path);
        Assert.Equal(0, code);
        Assert.EndsWith(": Scroll 75% on /blog/**", output.Trim());
        (code, _, var scrollError) = await PanoramaProcess.RunAsync("goals", "add", "shop.example", "--event", "Signup", "--scroll", "75", "--data", data.Path);
        Assert.Equal((2, "panorama: --scroll is a share of the page from 1 to 100 (%), for a goal with a --page."), (code, scrollError.Trim()));
        (code, _, var propError) = await PanoramaProcess.RunAsync("goals", "add", "shop.example", "--event", "Signup", "--prop", "plan", "--data", data.Path);
        Assert.Equal((2, "panorama: --prop 'plan' is not NAME=VALUE."), (code, propError.Trim()));
        (_, output, _) = await PanoramaProcess.RunAsync("goals", "list", "shop.example", "--data", data.Path);
        var purchase = output.Split('\n').Single(l => l.Contains("\tPurchase\t", StringComparison.Ordinal)).Split('\t')[0];
        (code, output, _) = await PanoramaProcess.RunAsync("goals", "rename", "shop.example", purchase, "Order", "--data", data.Path);
        Assert.Equal((0, $"Goal {purchase}: Order (formerly Purchase)"), (code, output.Trim()));
        (code, _, var renameError) = await PanoramaProcess.RunAsync("goals", "rename", "shop.example", "999", "Order", "--data", data.Path);
        Assert.Equal((2, "panorama: shop.example has no goal 999 (panorama goals list shop.example)."), (code, renameError.Trim()));
        (code, output, _) = await PanoramaProcess.RunAsync("goals", "add", "shop.example", "--event", "Trial", "--name", "Purchase", "--data", data.Path);
        Assert.Equal(2, code);

        var (bad, _, error) = await PanoramaProcess.RunAsync("sites", "add", "shop.example", "--timezone", "Mars/Olympus", "--data", data.Path);
        Assert.Equal(2, bad);
        Assert.Contains("Mars/Olympus", error);
        (bad, _, error) = await PanoramaProcess.RunAsync("goals", "add", "missing.example", "--event", "X", "--data", data.Path);
        Assert.Equal(2, bad);
        Assert.Contains("missing.example", error);

        var (_, secret, _) = await PanoramaProcess.RunAsync("keys", "create", "--name", "second", "--data", data.Path);
        (code, output, _) = await PanoramaProcess.RunAsync("keys", "list", "--data", data.Path);
        Assert.Contains("second", output);
        // Listings show a prefix only; the secret itself is never shown again.
        Assert.DoesNotContain(secret.Trim(), output);
    }

    [Fact]
    public async Task SitesExclude_FromFiles_BadLineNamedWithItsFile_OtherListsKept()
    {
        using var data = new TempDirectory();
        await PanoramaProcess.RunAsync("sites", "add", "shop.example", "--data", data.Path);
        var ips = Path.Combine(data.Path, "office.txt");
        var pages = Path.Combine(data.Path, "pages.txt");
        await File.WriteAllTextAsync(ips, "203.0.113.7\n\n198.51.100.0/24\n");
        await File.WriteAllTextAsync(pages, "/admin/**\n");

        var (code, output, _) = await PanoramaProcess.RunAsync("sites", "exclude", "shop.example", "--ips", ips, "--pages", pages, "--data", data.Path);
        Assert.Equal(0, code);
        Assert.Contains("  198.51.100.0/24", output);
        Assert.Contains("  /admin/**", output);

        await File.WriteAllTextAsync(ips, "203.0.113.7\nthe office\n");
        var (bad, _, error) = await PanoramaProcess.RunAsync("sites", "exclude", "shop.example", "--ips", ips, "--data", data.Path);
        Assert.Equal(2, bad);
        Assert.Contains($"{ips}, line 2: 'the office' is not an IP address", error);

        // Only the lists given change; without options the command prints them.
        (code, _, _) = await PanoramaProcess.RunAsync("sites", "exclude", "shop.example", "--hostnames", pages.Replace("pages", "hosts"), "--data", data.Path);
        Assert.Equal(2, code);
        (code, output, _) = await PanoramaProcess.RunAsync("sites", "exclude", "shop.example", "--data", data.Path);
        Assert.Equal(0, code);
        Assert.Contains("  203.0.113.7\n  198.51.100.0/24", output.ReplaceLineEndings("\n"));
        Assert.Contains("  /admin/**", output);
        Assert.Contains("(any)", output);

        var countries = Path.Combine(data.Path, "countries.txt");
        await File.WriteAllTextAsync(countries, "cn\nVN\n");
        (code, output, _) = await PanoramaProcess.RunAsync("sites", "exclude", "shop.example", "--countries", countries, "--data", data.Path);
        Assert.Equal(0, code);
        Assert.Contains("Excluded countries:\n  CN\n  VN", output.ReplaceLineEndings("\n"));
        Assert.Contains("  /admin/**", output);
    }

    [Fact]
    public async Task UsersResetPassword_PrintsANewPassword_ThatSignsIn()
    {
        using var data = new TempDirectory();
        var storage = TestServer.SharedStorage(data.Path);
        await using (var server = await TestServer.StartAsync(storage)) await server.CreateUserAsync("head@shop.example", owner: true);

        var (code, output, _) = await PanoramaProcess.RunAsync(["users", "reset-password", "head@shop.example", .. storage]);
        Assert.Equal(0, code);
        var password = System.Text.RegularExpressions.Regex.Match(output, "New password for head@shop.example: (\\S+)").Groups[1].Value;
        Assert.Equal(16, password.Length);
        var (unknown, _, error) = await PanoramaProcess.RunAsync(["users", "reset-password", "nobody@shop.example", .. storage]);
        Assert.Equal(2, unknown);
        Assert.Contains("no account uses 'nobody@shop.example'", error);

        await using var again = await TestServer.StartAsync(storage);
        using (await WebSession.SignInAsync(again, "head@shop.example", password)) { }
    }

    [Fact]
    public async Task EmailTest_SendsThroughTheConfiguredServer_SaysWhyWhenRefusedOrUnset()
    {
        using var data = new TempDirectory();
        using var smtp = new SmtpSink();
        string[] settings = ["--data", data.Path, "--Panorama:Email:SmtpHost=127.0.0.1", $"--Panorama:Email:SmtpPort={smtp.Port}"];
        var (code, output, _) = await PanoramaProcess.RunAsync(["email", "test", "ops@panorama.test", .. settings]);
        Assert.Equal(0, code);
        Assert.Contains($"Sent to ops@panorama.test through 127.0.0.1:{smtp.Port}.", output);
        Assert.Equal(("ops@panorama.test", "Panorama: test message"), (smtp.Messages.Single().To.ToString(), smtp.Messages.Single().Subject));

        smtp.Refuse = true;
        var (refused, _, error) = await PanoramaProcess.RunAsync(["email", "test", "ops@panorama.test", .. settings]);
        Assert.Equal(1, refused);
        Assert.Contains("did not take the message", error);
        smtp.Refuse = false;
        var (badSender, _, said) = await PanoramaProcess.RunAsync(["email", "test", "ops@panorama.test", .. settings, "--Panorama:Email:From=not an address"]);
        Assert.Equal(1, badSender);
        Assert.Contains("Panorama:Email:From 'not an address' is not an email address.", said);
        var (unset, _, why) = await PanoramaProcess.RunAsync("email", "test", "ops@panorama.test", "--data", data.Path);
        Assert.Equal(2, unset);
        Assert.Contains("email is not configured", why);
    }

    [Fact]
    public async Task Serve_DataFolderOrAddressAlreadyInUse_SaysSoAndExits()
    {
        using var data = new TempDirectory();
        using var other = new TempDirectory();
        using var server = await PanoramaProcess.StartServerAsync(data.Path);

        var (code, _, error) = await PanoramaProcess.RunAsync("serve", "--data", data.Path, "--urls", server.BaseUrl);
        Assert.Equal(1, code);
        Assert.Contains("the data folder is in use by another server", error);
        Assert.DoesNotContain("Unhandled exception", error);

        (code, _, error) = await PanoramaProcess.RunAsync("serve", "--data", other.Path, "--urls", server.BaseUrl);
        Assert.Equal(1, code);
        Assert.Contains("address already in use", error);
        Assert.Contains("--urls", error);
    }
}
