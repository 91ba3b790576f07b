namespace Panorama.Storage.ClickHouse;

/// <summary>
/// Where the events live in ClickHouse: one server, or several servers as the shards of a cluster (named in each
/// server's <c>remote_servers</c>) behind a <c>Distributed</c> table. Bound from <c>Panorama:Events:ClickHouse</c>.
/// </summary>
public sealed class ClickHouseOptions
{
    /// <summary>HTTP endpoints, one per shard, in the cluster's shard order (e.g. <c>http://10.0.0.1:8123</c>).</summary>
    /// <remarks>Empty by default: configuration binding appends to a non-empty default array instead of replacing it.</remarks>
    public string[] Shards { get; set; } = [];

    /// <summary>The cluster name in the servers' <c>remote_servers</c>; used when there is more than one shard.</summary>
    public string Cluster { get; set; } = "panorama";

    public string Database { get; set; } = "default";

    public string User { get; set; } = "default";

    public string Password { get; set; } = "";

    /// <summary>
    /// This node's number, distinct for every Panorama node writing to the cluster: events are keyed by (node,
    /// sequence), which is how a replayed batch is recognised and never stored twice.
    /// </summary>
    public int NodeId { get; set; }

    /// <summary>
    /// The server's memory limit for one report query (ClickHouse's <c>max_memory_usage</c>), when the user profile's
    /// is too small for the visits of a large site; null keeps the profile's.
    /// </summary>
    public long? QueryMaxMemoryBytes { get; set; }

    public bool Sharded => Shards.Length > 1;

    /// <summary>
    /// The table reports read: the Distributed table over the shards, or the one server's table. Named with its
    /// database, as a Distributed query's subqueries run on each shard in that connection's default database.
    /// </summary>
    public string EventsTable => $"{Database}.{(Sharded ? "events" : "events_local")}";

    /// <summary>The table of built visits reports read, likewise.</summary>
    public string VisitsTable => $"{Database}.{(Sharded ? "visits" : "visits_local")}";

    /// <summary>How often this node builds the visits of hours that have passed (<see cref="MaterializedVisits"/>); 0 never (reports then cut them from the events).</summary>
    public int VisitBuildSeconds { get; set; } = 60;

    /// <summary>How long after an hour's build window ends its visits are built, for events still on their way from the nodes.</summary>
    public int VisitBuildDelaySeconds { get; set; } = 300;
}
