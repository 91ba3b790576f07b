using System.Runtime.InteropServices;

namespace Panorama.Bench;

/// <summary>What DuckDB's bundled jemalloc holds, from its mallctl statistics: DuckDB's buffer manager sees only its own
/// buffers, not pages freed and not yet handed back. (No unsafe code: ab-ingest.sh builds this file into older commits.)</summary>
static class JemallocStats
{
    [DllImport("duckdb", EntryPoint = "duckdb_je_mallctl")]
    static extern int Read(string name, out nuint value, ref nuint length, IntPtr newValue, nuint newLength);

    [DllImport("duckdb", EntryPoint = "duckdb_je_mallctl")]
    static extern int Write(string name, IntPtr oldValue, IntPtr oldLength, ref ulong newValue, nuint newLength);

    public static string Text()
    {
        try
        {
            ulong epoch = 1;
            Write("epoch", IntPtr.Zero, IntPtr.Zero, ref epoch, sizeof(ulong));
            long Get(string name)
            {
                nuint length = (nuint)IntPtr.Size;
                return Read(name, out var value, ref length, IntPtr.Zero, 0) == 0 ? (long)value : -1;
            }
            return $"allocated {Get("stats.allocated") >> 20}, active {Get("stats.active") >> 20}, resident {Get("stats.resident") >> 20}, " +
                $"freed not purged {Get("stats.arenas.4096.pdirty") * Environment.SystemPageSize >> 20}, retained {Get("stats.retained") >> 20} MB";
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { return "unavailable"; }
    }
}
