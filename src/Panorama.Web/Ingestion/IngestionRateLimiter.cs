using Microsoft.Extensions.Options;

namespace Panorama.Web.Ingestion;

/// <summary>
/// A token bucket per client IP for unauthenticated ingestion; requests with an API key are not limited.
/// The buckets live in a fixed table indexed by a per-process randomized hash of the IP and are refilled lazily
/// when used. The framework's partitioned limiter kept one limiter object per IP seen in the last seconds and
/// refilled every one of them ten times a second: with every visitor on its own IP, that heartbeat took a tenth
/// of the server's CPU under load (bench/README.md). Two IPs sharing a bucket share
/// its allowance; with <see cref="Buckets"/> buckets that only matters to IPs sending near the limit.
/// </summary>
public sealed class IngestionRateLimiter
{
    public const int Buckets = 1 << 16;
    const int Stripes = 64;

    readonly double rate;
    readonly double capacity;
    readonly TimeProvider time;
    readonly double[] tokens;
    readonly long[] stamps;
    readonly Lock[] stripes;

    public IngestionRateLimiter(IOptions<PanoramaOptions> options, TimeProvider time)
    {
        var settings = options.Value.Ingestion;
        this.time = time;
        rate = settings.EventsPerSecondPerIp;
        capacity = settings.BurstPerIp + settings.EventsPerSecondPerIp;
        var buckets = rate > 0 ? Buckets : 0;
        tokens = new double[buckets];
        stamps = new long[buckets];
        stripes = Enumerable.Range(0, Stripes).Select(_ => new Lock()).ToArray();
    }

    public bool TryAcquire(string clientIp)
    {
        if (rate <= 0) return true;
        var index = BucketOf(clientIp);
        var now = time.GetTimestamp();
        lock (stripes[index % Stripes])
        {
            // An unused bucket (stamp 0) starts full.
            var available = stamps[index] == 0
                ? capacity
                : Math.Min(capacity, tokens[index] + rate * time.GetElapsedTime(stamps[index], now).TotalSeconds);
            stamps[index] = now;
            if (available < 1)
            {
                tokens[index] = available;
                return false;
            }
            tokens[index] = available - 1;
            return true;
        }
    }

    internal static int BucketOf(string clientIp) => clientIp.GetHashCode() & (Buckets - 1);
}
