using DuckDB.NET.Data;

namespace Panorama.Storage.DuckDb;

/// <summary>Counting the stored events, to verify a copy to ClickHouse (<see cref="ReadEventSlices"/> reads them out).</summary>
public sealed partial class DuckDbEventStore
{
    /// <summary>Events per site and UTC day, to verify a copy.</summary>
    public Dictionary<(int SiteId, DateOnly Day), long> CountsPerSiteAndDay()
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT site_id, ts::DATE, count(*) FROM events GROUP BY ALL";
        using var reader = command.ExecuteReader();
        var counts = new Dictionary<(int, DateOnly), long>();
        while (reader.Read()) counts[(reader.GetInt32(0), DateOnly.FromDateTime(reader.GetDateTime(1)))] = reader.GetInt64(2);
        return counts;
    }

    public long CountAll()
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM events";
        return Convert.ToInt64(command.ExecuteScalar());
    }
}
