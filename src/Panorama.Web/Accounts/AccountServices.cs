using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Panorama.Core.Accounts;
using Panorama.Core.Data;

namespace Panorama.Web.Accounts;

/// <summary>Accounts: Identity over the relational store, the sign-in cookie, roles per site, invitations and shared links.</summary>
public static class AccountServices
{
    public const string LoginPath = "/login";

    public static IServiceCollection AddAccounts(this IServiceCollection services, string dataDirectory)
    {
        // Keys that sign cookies and antiforgery tokens live with the data, so sessions survive a restart.
        services.AddDataProtection().SetApplicationName("Panorama")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(dataDirectory, "keys")));
        services.AddScoped(provider => provider.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<PanoramaDbContext>>().CreateDbContext());
        services.AddAuthentication(IdentityConstants.ApplicationScheme).AddIdentityCookies();
        services.AddIdentityCore<PanoramaUser>(identity =>
            {
                identity.User.RequireUniqueEmail = true;
                identity.Password.RequiredLength = 10;
                identity.Password.RequireNonAlphanumeric = false;
                identity.Password.RequireUppercase = false;
                identity.Password.RequireLowercase = false;
                identity.Password.RequireDigit = false;
                identity.Lockout.AllowedForNewUsers = true;
                identity.Lockout.MaxFailedAccessAttempts = 5;
                identity.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                identity.SignIn.RequireConfirmedAccount = false;
            })
            .AddSignInManager()
            .AddDefaultTokenProviders()
            .AddEntityFrameworkStores<PanoramaDbContext>();
        services.ConfigureApplicationCookie(cookie =>
        {
            cookie.LoginPath = LoginPath;
            cookie.LogoutPath = "/logout";
            cookie.AccessDeniedPath = LoginPath;
            cookie.Cookie.Name = "panorama_session";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.ExpireTimeSpan = TimeSpan.FromDays(14);
            cookie.SlidingExpiration = true;
            // API calls get a status code, not a redirect to the login page.
            cookie.Events.OnRedirectToLogin = context => RejectApiOr(context, StatusCodes.Status401Unauthorized);
            cookie.Events.OnRedirectToAccessDenied = context => RejectApiOr(context, StatusCodes.Status403Forbidden);
        });
        services.Configure<Microsoft.AspNetCore.Antiforgery.AntiforgeryOptions>(antiforgery =>
        {
            antiforgery.Cookie.Name = "panorama_antiforgery";
            antiforgery.Cookie.SameSite = SameSiteMode.Strict;
        });
        services.AddSingleton<SiteAccess>();
        services.AddSingleton<AccessAudit>();
        services.AddSingleton<Invitations>();
        services.AddSingleton<SharedLinks>();
        services.AddSingleton<SharedLinkProof>();
        services.AddSingleton<PasswordAttempts>();
        services.AddHostedService<OwnerBootstrap>();
        return services;
    }

    /// <summary>Where to go after signing in: the requested page when it is on this server (no open redirects), else the sites.</summary>
    public static string ReturnUrlOrSites(Microsoft.AspNetCore.Mvc.IUrlHelper url, string? returnUrl) => url.IsLocalUrl(returnUrl) ? returnUrl! : "/sites";

    static Task RejectApiOr(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}
