using Microsoft.AspNetCore.Identity;

namespace Panorama.Core.Accounts;

/// <summary>A person who signs in to Panorama. Passwords, lockout and two-factor keys are ASP.NET Core Identity's.</summary>
public sealed class PanoramaUser : IdentityUser
{
    /// <summary>The head of internet marketing: sees and manages every site and every account.</summary>
    public bool IsOwner { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
