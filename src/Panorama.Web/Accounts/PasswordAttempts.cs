using System.Threading.RateLimiting;

namespace Panorama.Web.Accounts;

/// <summary>
/// Slows guessing of shared-link passwords: each client address gets a few attempts per window (accounts have
/// Identity's lockout instead).
/// </summary>
public sealed class PasswordAttempts : IDisposable
{
    readonly PartitionedRateLimiter<string> limiter = PartitionedRateLimiter.Create<string, string>(address =>
        RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = 10, Window = TimeSpan.FromMinutes(10), QueueLimit = 0, AutoReplenishment = true,
        }));

    public bool TryAttempt(HttpContext http)
    {
        using var lease = limiter.AttemptAcquire(http.Connection.RemoteIpAddress?.ToString() ?? "");
        return lease.IsAcquired;
    }

    public void Dispose() => limiter.Dispose();
}
