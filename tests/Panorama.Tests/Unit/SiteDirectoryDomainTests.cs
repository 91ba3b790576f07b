using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using Panorama.Core.Data;
using Panorama.Core.Sites;
using Panorama.Storage.DuckDb;
using Panorama.Tests.Support;

namespace Panorama.Tests.Unit;

/// <summary>A site's new domain: its old one reaches it for 72 hours, on this node at once and on others within half a minute.</summary>
public sealed class SiteDirectoryDomainTests : IDisposable
{
    readonly TempDirectory folder = new();
    readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero));
    readonly IDbContextFactory<PanoramaDbContext> databases;
    readonly SiteDirectory sites;

    public SiteDirectoryDomainTests()
    {
        var options = new DbContextOptionsBuilder<PanoramaDbContext>().UseSqlite(EmbeddedStorage.RelationalConnectionString(folder.Path)).Options;
        databases = new PooledDbContextFactory<PanoramaDbContext>(options);
        EmbeddedStorage.InitializeRelational(databases);
        sites = new SiteDirectory(databases, time);
    }

    public void Dispose() => folder.Dispose();

    [Fact]
    public void ChangeDomain_OldDomainReachesTheSiteFor72Hours_ThenIsFree()
    {
        var site = sites.Add("old.example");
        var changed = sites.ChangeDomain(site.Id, "https://www.New.Example/");
        Assert.Equal(("new.example", "old.example", time.GetUtcNow()), (changed.Domain, changed.PreviousDomain, changed.DomainChangedAt));
        Assert.Equal(site.Id, sites.FindByDomain("new.example")!.Id);
        Assert.Equal("new.example", sites.FindByDomain("old.example")!.Domain);
        var taken = Assert.Throws<ArgumentException>(() => sites.Add("old.example"));
        Assert.Contains("new.example", taken.Message);

        time.Advance(TimeSpan.FromHours(71));
        Assert.Equal(site.Id, sites.FindByDomain("old.example")!.Id);
        time.Advance(TimeSpan.FromHours(1.01));
        Assert.Null(sites.FindByDomain("old.example"));
        var newcomer = sites.Add("old.example");
        Assert.NotEqual(site.Id, newcomer.Id);
        Assert.Equal(site.Id, sites.FindByDomain("new.example")!.Id);
    }

    [Fact]
    public void ChangeDomain_AnotherSitesDomainOrOneInTransition_Refused_OwnOldDomainTakenBack()
    {
        var first = sites.Add("first.example");
        var second = sites.Add("second.example");
        Assert.Throws<ArgumentException>(() => sites.ChangeDomain(first.Id, "second.example"));
        Assert.Throws<ArgumentException>(() => sites.ChangeDomain(first.Id, "not a domain"));
        Assert.Equal("first.example", sites.FindById(first.Id)!.Domain);

        sites.ChangeDomain(second.Id, "third.example");
        Assert.Throws<ArgumentException>(() => sites.ChangeDomain(first.Id, "second.example"));
        var back = sites.ChangeDomain(second.Id, "second.example");
        Assert.Equal(("second.example", "third.example"), (back.Domain, back.PreviousDomain));
        Assert.Equal(second.Id, sites.FindByDomain("third.example")!.Id);
    }

    [Fact]
    public void ChangeDomain_OnAnotherNode_SeenWithinHalfAMinute()
    {
        var site = sites.Add("moved.example");
        var otherNode = new SiteDirectory(databases, time);
        Assert.Equal("moved.example", otherNode.FindByDomain("moved.example")!.Domain);

        sites.ChangeDomain(site.Id, "arrived.example");
        time.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal("arrived.example", otherNode.FindByDomain("moved.example")!.Domain);
        Assert.Equal(site.Id, otherNode.FindByDomain("arrived.example")!.Id);
    }
}
