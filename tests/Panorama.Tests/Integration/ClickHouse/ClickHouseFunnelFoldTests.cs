using System.Globalization;
using Panorama.Core.Reports.Query;
using Panorama.Storage.ClickHouse;
using Panorama.Storage.ClickHouse.Query;
using Panorama.Tests.Support;

namespace Panorama.Tests.Integration.ClickHouse;

/// <summary>ClickHouse finds each funnel step's event greedily in SQL; it must agree with the reference fold on any sequence.</summary>
[Collection(ClickHouseCollection.Name)]
public sealed class ClickHouseFunnelFoldTests(ClickHouseServers servers)
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(8)]
    public async Task StepsReached_AgreesWithTheReferenceFold(int steps)
    {
        var store = new ClickHouseEventStore(servers.Options(ClickHouseServers.NewDatabase(), shards: 1), new HttpClient());
        await store.MigrateAsync(CancellationToken.None);
        var random = new Random(steps);
        var visits = Enumerable.Range(0, 200)
            .Select(_ => Enumerable.Range(0, random.Next(12)).Select(_ => (long)random.Next(1, 1 << steps)).ToArray())
            .ToList();
        var rows = string.Join(" UNION ALL ", visits.Select((masks, i) =>
            $"SELECT toInt64({i}) AS visitor_id, CAST([{string.Join(", ", masks)}] AS Array(Int64)) AS masks"));
        var result = await store.Shards[0].QueryAsync(
            $"SELECT visitor_id, reached FROM ({ClickHouseQuerySql.StepsReached(rows, steps)}) ORDER BY visitor_id", CancellationToken.None);
        Assert.Equal(
            visits.Select((masks, i) => $"{i}:{FunnelCalculator.StepsReached(masks, steps)}"),
            result.Select(r => $"{r[0]}:{long.Parse(r[1], CultureInfo.InvariantCulture)}"));
    }
}
