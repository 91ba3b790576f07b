namespace Panorama.Storage.DuckDb;

/// <summary>Settings of the embedded event store.</summary>
public sealed class DuckDbOptions
{
    /// <summary>Path of the DuckDB file; one process owns it.</summary>
    public required string Path { get; init; }

    /// <summary>DuckDB's memory limit; set explicitly because its default is 80% of the machine.</summary>
    public string MemoryLimit { get; init; } = "1GB";

    /// <summary>Worker threads for queries; defaults to the processor count.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;
}
