using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Panorama.Web;
using Panorama.Web.Ingestion;

namespace Panorama.Tests.Unit;

public class IngestionRateLimiterTests
{
    readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero));

    IngestionRateLimiter Limiter(int perSecond, int burst) =>
        new(Options.Create(new PanoramaOptions { Ingestion = { EventsPerSecondPerIp = perSecond, BurstPerIp = burst } }), time);

    static int Accepted(IngestionRateLimiter limiter, string ip, int attempts) =>
        Enumerable.Range(0, attempts).Count(_ => limiter.TryAcquire(ip));

    [Fact]
    public void TryAcquire_BurstThenSustainedRate()
    {
        var limiter = Limiter(perSecond: 10, burst: 5);
        Assert.Equal(15, Accepted(limiter, "203.0.113.9", 100));
        time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.Equal(5, Accepted(limiter, "203.0.113.9", 100));
        time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(15, Accepted(limiter, "203.0.113.9", 100)); // refilled only up to the bucket's size
    }

    [Fact]
    public void TryAcquire_EachIpHasItsOwnAllowance()
    {
        var limiter = Limiter(perSecond: 1, burst: 0);
        var ips = Enumerable.Range(1, 200).Select(i => $"198.51.100.{i}").ToList();
        // The hash is randomized per process, so two of the 200 may share a bucket (and its one token).
        var buckets = ips.Select(IngestionRateLimiter.BucketOf).Distinct().Count();
        Assert.InRange(buckets, 190, 200);
        Assert.Equal(buckets, ips.Count(ip => limiter.TryAcquire(ip)));
        Assert.Equal(0, ips.Count(ip => limiter.TryAcquire(ip))); // each spent its one token
    }

    [Fact]
    public void TryAcquire_ZeroRate_NeverLimits()
    {
        var limiter = Limiter(perSecond: 0, burst: 0);
        Assert.Equal(10_000, Accepted(limiter, "203.0.113.9", 10_000));
    }
}
