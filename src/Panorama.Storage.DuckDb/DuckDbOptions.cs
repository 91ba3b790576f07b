namespace Panorama.Storage.DuckDb;

/// <summary>Settings of the embedded event store.</summary>
public sealed class DuckDbOptions
{
    /// <summary>Path of the DuckDB file; one process owns it.</summary>
    public required string Path { get; init; }

    /// <summary>DuckDB's memory limit; set explicitly because its default is 80% of the machine.</summary>
    public string MemoryLimit { get; init; } = DefaultMemoryLimit;

    public const string DefaultMemoryLimit = "1GB";

    /// <summary>
    /// How much write-ahead log DuckDB gathers before it checkpoints. Its default (16 MB) checkpoints every ~50 k events,
    /// and each checkpoint compresses the unfinished row group again; at 64 MB the loader's appends cost about half as
    /// much CPU (bench <c>store-load</c>). 32 MB is the balance: the rows appended since the last checkpoint sit in
    /// memory, and a load run's RSS peaks ~45 MB lower than at 64 MB for ~2–3% more CPU per ingested request (bench
    /// README, session 13). Durability is unchanged: every commit still syncs the log.
    /// </summary>
    public string CheckpointThreshold { get; init; } = DefaultCheckpointThreshold;

    public const string DefaultCheckpointThreshold = "32MB";

    /// <summary>Worker threads for queries; defaults to the processor count.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;
}
