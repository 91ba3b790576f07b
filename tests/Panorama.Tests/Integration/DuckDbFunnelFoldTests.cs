using DuckDB.NET.Data;
using Panorama.Core.Reports.Query;
using Panorama.Storage.DuckDb.Query;

namespace Panorama.Tests.Integration;

/// <summary>The embedded store folds step masks in SQL; it must agree with the reference fold on any sequence.</summary>
public class DuckDbFunnelFoldTests
{
    [Fact]
    public void FoldStepMasks_AgreesWithStepsReached()
    {
        var random = new Random(11);
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        for (var trial = 0; trial < 300; trial++)
        {
            var steps = 2 + random.Next(7);
            var masks = Enumerable.Range(0, random.Next(12)).Select(_ => (long)random.Next(1, 1 << steps)).ToArray();
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {DuckDbQuerySql.FoldStepMasks($"[{string.Join(", ", masks)}]::BIGINT[]")}";
            Assert.Equal(FunnelCalculator.StepsReached(masks, steps), Convert.ToInt32(command.ExecuteScalar()));
        }
    }
}
