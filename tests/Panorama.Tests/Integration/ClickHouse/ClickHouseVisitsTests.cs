using Panorama.Core.Ingestion;
using Panorama.Core.Reports;
using Panorama.Core.Reports.Query;
using Panorama.Storage.ClickHouse;
using Panorama.Storage.DuckDb;
using Panorama.Tests.Support;

namespace Panorama.Tests.Integration.ClickHouse;

/// <summary>
/// Two nodes take interleaved events of the same visitors into two shards; the visits ClickHouse cuts at query time
/// give the same totals as the embedded store fed the same events through one node.
/// </summary>
[Collection(ClickHouseCollection.Name)]
public sealed class ClickHouseVisitsTests(ClickHouseServers servers)
{
    static readonly DateTime Start = new(2026, 11, 2, 0, 0, 0, DateTimeKind.Utc);
    static readonly string[] Sources = ["Direct / None", "Google", "Yandex", "Telegram"];

    /// <summary>Visitors with visits of 1–6 events and gaps either side of 30 minutes, and one visitor active for 30 hours straight.</summary>
    static List<EnrichedEvent> Traffic()
    {
        var random = new Random(7);
        var events = new List<EnrichedEvent>();
        void Add(long visitor, DateTime at, string name) => events.Add(new EnrichedEvent
        {
            SiteId = 3, Timestamp = at, VisitorId = visitor, PreviousDayVisitorId = visitor, Name = name, Pathname = "/p" + random.Next(5), Hostname = "x",
            Source = Sources[random.Next(Sources.Length)], Channel = "Direct", Country = random.Next(3) switch { 0 => "RU", 1 => "DE", _ => "" }, Browser = "Firefox", OperatingSystem = "Linux", Device = "Desktop", Interactive = name != "pageview",
        });
        for (var visitor = 1; visitor <= 300; visitor++)
            for (var visit = random.Next(1, 4); visit > 0; visit--)
            {
                var at = Start.AddSeconds(random.Next(3 * 86_400)).AddTicks(random.Next(10_000_000));
                for (var hit = random.Next(1, 7); hit > 0 && at < Start.AddDays(3); hit--)
                {
                    Add(visitor, at, random.NextDouble() < 0.15 ? "Signup" : random.NextDouble() < 0.1 ? "engagement" : "pageview");
                    at = at.AddSeconds(random.Next(10, 3_000)).AddTicks(random.Next(10_000_000));
                }
            }
        for (var at = Start.AddHours(5); at < Start.AddHours(35); at = at.AddMinutes(20)) Add(9_999, at, "pageview");
        return events.OrderBy(e => e.Timestamp).ToList();
    }

    [Fact]
    public async Task TwoNodesInterleaved_TotalsAndTimeSeriesEqualTheEmbeddedStore()
    {
        var traffic = Traffic();
        var database = ClickHouseServers.NewDatabase();
        var nodes = new[] { new ClickHouseEventStore(servers.Options(database, 2, node: 1), new HttpClient()), new ClickHouseEventStore(servers.Options(database, 2, node: 2), new HttpClient()) };
        await nodes[0].MigrateAsync(CancellationToken.None);
        // Every other event goes to the other node; each numbers its own events.
        for (var node = 0; node < 2; node++)
        {
            var mine = traffic.Where((_, i) => i % 2 == node).Select((e, i) => Copy(e, i + 1)).ToList();
            foreach (var chunk in mine.Chunk(97)) await nodes[node].AppendAsync(chunk, CancellationToken.None);
        }

        using var folder = new TempDirectory();
        using var duck = new DuckDbEventStore(new DuckDbOptions { Path = Path.Combine(folder.Path, "events.duckdb"), MemoryLimit = "512MB", Threads = 2 });
        await duck.AppendAsync(traffic.Select((e, i) => Copy(e, i + 1)).ToList(), CancellationToken.None);
        await duck.RefreshVisitsAsync(CancellationToken.None);

        foreach (var range in new[] { new DateRange(Start, Start.AddDays(3)), new DateRange(Start.AddDays(1), Start.AddDays(2)), new DateRange(Start.AddHours(6), Start.AddHours(7)) })
        {
            var expected = Assert.Single((await duck.QueryAsync(new StoreQuery { SiteId = 3, TimeZone = TimeZoneInfo.Utc, Range = range, Metrics = StoreQuery.StoreMetrics }, CancellationToken.None)).Rows).Metrics;
            var actual = await nodes[1].SummaryAsync(3, range, CancellationToken.None);
            Assert.Equal(
                (expected[Metric.Visitors], expected[Metric.Visits], expected[Metric.Pageviews], expected[Metric.Events], expected[Metric.ViewsPerVisit], expected[Metric.BounceRate], expected[Metric.VisitDuration]),
                ((object?)actual.Visitors, (object?)actual.Visits, (object?)actual.Pageviews, (object?)actual.Events, (object?)actual.ViewsPerVisit, (object?)actual.BounceRate, (object?)actual.VisitDuration));
        }
        // Per hour and per day in a zone with a half-hour offset, bucket by bucket.
        var kolkata = TimeZoneInfo.FindSystemTimeZoneById("Asia/Kolkata");
        foreach (var (grain, name) in new[] { (TimeGrain.Hour, "time:hour"), (TimeGrain.Day, "time:day") })
        {
            var range = new DateRange(Start, Start.AddDays(3));
            var expected = (await duck.QueryAsync(new StoreQuery
            {
                SiteId = 3, TimeZone = kolkata, Range = range, Metrics = StoreQuery.StoreMetrics, Dimensions = [Dimension.Find(name)!],
            }, CancellationToken.None)).Rows.OrderBy(r => r.Dimensions[0], StringComparer.Ordinal)
                .Select(r => $"{r.Dimensions[0]} {r.Metrics[Metric.Visitors]} {r.Metrics[Metric.Visits]} {r.Metrics[Metric.Pageviews]} {r.Metrics[Metric.Events]} {r.Metrics[Metric.ViewsPerVisit]} {r.Metrics[Metric.BounceRate]} {r.Metrics[Metric.VisitDuration]}");
            var actual = (await nodes[0].TotalsAsync(3, range, grain, kolkata, CancellationToken.None))
                .Select(r => $"{r.Bucket} {r.Totals.Visitors} {r.Totals.Visits} {r.Totals.Pageviews} {r.Totals.Events} {r.Totals.ViewsPerVisit} {r.Totals.BounceRate} {r.Totals.VisitDuration}");
            Assert.Equal(expected, actual);
            Assert.True(actual.Count() >= (grain == TimeGrain.Hour ? 48 : 3), $"{actual.Count()} buckets");
        }

        // Breakdowns by a visit attribute (the first event's source or country), visit metrics only.
        foreach (var (attribute, name) in new[] { ("source", "visit:source"), ("country", "visit:country") })
        {
            var range = new DateRange(Start.AddHours(12), Start.AddHours(60));
            var expected = (await duck.QueryAsync(new StoreQuery
            {
                SiteId = 3, TimeZone = TimeZoneInfo.Utc, Range = range, Dimensions = [Dimension.Find(name)!],
                Metrics = [Metric.Visitors, Metric.Visits, Metric.ViewsPerVisit, Metric.BounceRate, Metric.VisitDuration],
            }, CancellationToken.None)).Rows.OrderBy(r => r.Dimensions[0], StringComparer.Ordinal)
                .Select(r => $"{r.Dimensions[0]} {r.Metrics[Metric.Visitors]} {r.Metrics[Metric.Visits]} {r.Metrics[Metric.ViewsPerVisit]} {r.Metrics[Metric.BounceRate]} {r.Metrics[Metric.VisitDuration]}");
            var actual = (await nodes[1].VisitBreakdownAsync(3, range, attribute, CancellationToken.None))
                .Select(r => $"{r.Value} {r.Totals.Visitors} {r.Totals.Visits} {r.Totals.ViewsPerVisit} {r.Totals.BounceRate} {r.Totals.VisitDuration}");
            Assert.Equal(expected, actual);
            Assert.True(actual.Count() >= 3, string.Join("; ", actual));
        }

        // Not a trivial agreement: visitors come back, some visits bounce, and the 30-hour visitor is cut at 24 hours.
        var whole = await nodes[0].SummaryAsync(3, new DateRange(Start, Start.AddDays(3)), CancellationToken.None);
        Assert.True(whole.Visits > whole.Visitors && whole.BounceRate is > 0 and < 100, $"{whole}");
    }

    static EnrichedEvent Copy(EnrichedEvent e, long sequence) => new()
    {
        Sequence = sequence, SiteId = e.SiteId, Timestamp = e.Timestamp, VisitorId = e.VisitorId, PreviousDayVisitorId = e.VisitorId, Name = e.Name,
        Pathname = e.Pathname, Hostname = e.Hostname, Source = e.Source, Channel = e.Channel, Country = e.Country, Browser = e.Browser, OperatingSystem = e.OperatingSystem,
        Device = e.Device, Interactive = e.Interactive,
    };
}
