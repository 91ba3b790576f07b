using System.Runtime.InteropServices;

namespace Panorama.Storage.DuckDb;

/// <summary>
/// DuckDB's bundled jemalloc, through its mallctl. Its decay keeps freed pages for up to a second so a next allocation
/// can reuse them, but a checkpoint or a visit pass frees 100–150 MB at once: under steady ingestion that much stayed
/// resident with no buffer in it. The store purges on a short timer instead.
/// </summary>
static unsafe partial class Jemalloc
{
    /// <summary>How often the store purges: a purge with nothing to hand back costs microseconds.</summary>
    public static readonly TimeSpan PurgeInterval = TimeSpan.FromMilliseconds(200);

    static volatile bool unavailable;

    [LibraryImport("duckdb", EntryPoint = "duckdb_je_mallctl", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Mallctl(string name, void* oldValue, nuint* oldLength, void* newValue, nuint newLength);

    /// <summary>Hands every arena's freed pages back to the kernel (4096 is MALLCTL_ARENAS_ALL).</summary>
    public static void Purge()
    {
        if (unavailable) return;
        try { Mallctl("arena.4096.purge", null, null, null, 0); }
        // DuckDB's Windows and macOS builds have no jemalloc: there it does nothing.
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { unavailable = true; }
    }
}
