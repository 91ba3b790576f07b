using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Panorama.Web.Ingestion;

/// <summary>A token bucket per client IP for unauthenticated ingestion; requests with an API key are not limited.</summary>
public sealed class IngestionRateLimiter : IDisposable
{
    readonly PartitionedRateLimiter<string>? limiter;

    public IngestionRateLimiter(IOptions<PanoramaOptions> options)
    {
        var settings = options.Value.Ingestion;
        if (settings.EventsPerSecondPerIp <= 0) return;
        limiter = PartitionedRateLimiter.Create<string, string>(ip => RateLimitPartition.GetTokenBucketLimiter(ip, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = settings.BurstPerIp + settings.EventsPerSecondPerIp,
            TokensPerPeriod = settings.EventsPerSecondPerIp,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    public bool TryAcquire(string clientIp)
    {
        if (limiter is null) return true;
        using var lease = limiter.AttemptAcquire(clientIp);
        return lease.IsAcquired;
    }

    public void Dispose() => limiter?.Dispose();
}
