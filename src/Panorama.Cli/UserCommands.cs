using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Panorama.Core.Accounts;

namespace Panorama.Cli;

/// <summary><c>panorama users …</c>: what the owner does for a person locked out of their account.</summary>
static class UserCommands
{
    /// <summary>
    /// Sets a new random password, prints it once, and lifts a lockout (also the owner's own way back in when the server
    /// sends no email). The security stamp changes, so the account's other sessions end.
    /// </summary>
    public static async Task<int> ResetPasswordAsync(CommandLine line, string email)
    {
        using var services = Commands.Services(line);
        using var scope = services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PanoramaUser>>();
        var user = await users.FindByEmailAsync(email.Trim()) ?? throw new CommandLineException($"no account uses '{email}'.");
        // No look-alike letters or digits: the password is read off a screen and typed.
        var password = RandomNumberGenerator.GetString("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789", 16);
        var result = await users.ResetPasswordAsync(user, await users.GeneratePasswordResetTokenAsync(user), password);
        if (!result.Succeeded) throw new CommandLineException(string.Join(" ", result.Errors.Select(e => e.Description)));
        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        services.GetRequiredService<AccessAudit>().Record("cli", "set a new password", user.Email!);
        Console.WriteLine($"New password for {user.Email}: {password}");
        Console.WriteLine("Pass it on privately; it can be changed on the account page (/account).");
        return 0;
    }
}
