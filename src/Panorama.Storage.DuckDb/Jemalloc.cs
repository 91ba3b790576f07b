using System.Runtime.InteropServices;

namespace Panorama.Storage.DuckDb;

/// <summary>
/// DuckDB's bundled jemalloc, through its mallctl. Its decay keeps freed pages for up to a second so a next allocation
/// can reuse them, but a checkpoint or a visit pass frees 100–150 MB at once: under steady ingestion that much stayed
/// resident with no buffer in it. The store purges on a short timer instead.
/// </summary>
public static unsafe partial class Jemalloc
{
    /// <summary>How often the store purges: a purge with nothing to hand back costs microseconds.</summary>
    public static readonly TimeSpan PurgeInterval = TimeSpan.FromMilliseconds(200);

    static volatile bool unavailable;

    [LibraryImport("duckdb", EntryPoint = "duckdb_je_mallctl", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Mallctl(string name, void* oldValue, nuint* oldLength, void* newValue, nuint newLength);

    /// <summary>Hands every arena's freed pages back to the kernel ("arena.<MALLCTL_ARENAS_ALL>.purge").</summary>
    public static void Purge() => Call(() => Mallctl("arena.4096.purge", null, null, null, 0));

    /// <summary>For diagnostics: allocated, active, resident and retained MB, and MB in freed pages not yet purged.</summary>
    public static string Stats()
    {
        var text = "unavailable";
        Call(() =>
        {
            ulong epoch = 1;
            Mallctl("epoch", null, null, &epoch, (nuint)sizeof(ulong));
            text = $"allocated {Read("stats.allocated") >> 20}, active {Read("stats.active") >> 20}, resident " +
                $"{Read("stats.resident") >> 20}, freed not purged {Read("stats.arenas.4096.pdirty") * Environment.SystemPageSize >> 20}, " +
                $"retained {Read("stats.retained") >> 20} MB";
            return 0;
        });
        return text;
    }

    static long Read(string name)
    {
        nuint value = 0, length = (nuint)sizeof(nuint);
        return Mallctl(name, &value, &length, null, 0) == 0 ? (long)value : -1;
    }

    // DuckDB's Windows and macOS builds have no jemalloc: there it does nothing.
    static void Call(Func<int> call)
    {
        if (unavailable) return;
        try { call(); }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { unavailable = true; }
    }
}
