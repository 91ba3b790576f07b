using Microsoft.AspNetCore.Identity;
using Panorama.Core.Accounts;

namespace Panorama.Web.Accounts;

/// <summary>
/// Creates the owner account from <c>PANORAMA_ADMIN_EMAIL</c> and <c>PANORAMA_ADMIN_PASSWORD</c> when no account exists
/// yet, so an install can be provisioned without the first-run page.
/// </summary>
public sealed class OwnerBootstrap(IServiceProvider services, IConfiguration configuration, ILogger<OwnerBootstrap> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var email = configuration["PANORAMA_ADMIN_EMAIL"];
        var password = configuration["PANORAMA_ADMIN_PASSWORD"];
        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrEmpty(password)) return;
        using var scope = services.CreateScope();
        var access = scope.ServiceProvider.GetRequiredService<SiteAccess>();
        if (access.AnyUser()) return;
        var errors = await CreateOwnerAsync(scope.ServiceProvider.GetRequiredService<UserManager<PanoramaUser>>(), email, password,
            scope.ServiceProvider.GetRequiredService<TimeProvider>());
        if (errors.Count > 0) logger.LogError("The owner account from PANORAMA_ADMIN_EMAIL was not created: {Errors}", string.Join(" ", errors));
        else
        {
            scope.ServiceProvider.GetRequiredService<AccessAudit>().Record("environment", "created the owner account", email.Trim());
            logger.LogInformation("Created the owner account {Email}", email);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Creates the owner; returns Identity's error messages (empty on success).</summary>
    public static async Task<IReadOnlyList<string>> CreateOwnerAsync(UserManager<PanoramaUser> users, string email, string password, TimeProvider time)
    {
        var owner = new PanoramaUser { UserName = email.Trim(), Email = email.Trim(), IsOwner = true, CreatedAt = time.GetUtcNow(), EmailConfirmed = true };
        var result = await users.CreateAsync(owner, password);
        return result.Succeeded ? [] : result.Errors.Select(e => e.Description).ToList();
    }
}
