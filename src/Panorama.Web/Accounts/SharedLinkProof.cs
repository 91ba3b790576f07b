using Microsoft.AspNetCore.DataProtection;
using Panorama.Core.Accounts;

namespace Panorama.Web.Accounts;

/// <summary>
/// Remembers, in a signed cookie scoped to the link's path and the API, that this browser gave a shared link's
/// password, so its reports can be fetched without sending the password again.
/// </summary>
public sealed class SharedLinkProof(IDataProtectionProvider protection)
{
    public const string Header = "X-Panorama-Share";
    readonly IDataProtector protector = protection.CreateProtector("Panorama.SharedLink.v1");

    static string CookieName(SharedLink link) => "panorama_share_" + link.Id;

    public void Grant(HttpContext http, SharedLink link) =>
        http.Response.Cookies.Append(CookieName(link), protector.Protect(link.Token + "|" + link.PasswordHash), new CookieOptions
        {
            HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = http.Request.IsHttps, Path = "/", MaxAge = TimeSpan.FromDays(1),
        });

    /// <summary>Whether the request may use the link: it has no password, or this browser proved it (and it has not changed since).</summary>
    public bool IsGranted(HttpContext http, SharedLink link)
    {
        if (link.PasswordHash is null) return true;
        if (!http.Request.Cookies.TryGetValue(CookieName(link), out var value) || string.IsNullOrEmpty(value)) return false;
        try
        {
            return protector.Unprotect(value) == link.Token + "|" + link.PasswordHash;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return false;
        }
    }
}
