using System.Runtime.InteropServices;
using DuckDB.NET.Native;
using Panorama.Core.Ingestion;

namespace Panorama.Storage.DuckDb;

/// <summary>
/// Reading the stored events out in bulk, for moving an install to ClickHouse. Values are copied from DuckDB's result
/// vectors straight into <see cref="EventColumns"/>: the ADO.NET reader made a .NET string of every value, and that,
/// not DuckDB's scan, was nearly all the cost of a migration (bench/README.md, "Bulk migration").
/// </summary>
public sealed partial class DuckDbEventStore
{
    static readonly string SliceColumns = string.Join(", ",
        ["seq", "site_id", "epoch_us(ts)", "visitor_id", .. EventColumns.TextNames.Select(c => $"coalesce({c}, '')"), "coalesce(prop_keys, [])", "coalesce(prop_values, [])",
         "(revenue_amount * 1000000)::BIGINT", "engagement_ms", "scroll_depth", "interactive"]);

    /// <summary>
    /// Every event with a sequence above <paramref name="afterSequence"/>, in slices of <paramref name="slice"/> sequence
    /// numbers, slice after slice. A slice is not sorted inside (events are appended in sequence order, so each slice
    /// reads few row groups, and no sort of the whole table holds the first rows back): whoever resumes by the highest
    /// sequence copied must store each slice whole or not at all, as <c>EventMigration</c> does. Each slice is read
    /// into <paramref name="newBatch"/>'s batch, when given (a reader that recycles them saves growing new buffers).
    /// </summary>
    public IEnumerable<EventColumns> ReadEventSlices(long afterSequence, Func<EventColumns>? newBatch = null, long slice = 200_000)
    {
        using var connection = Open();
        long last;
        using (var bounds = connection.CreateCommand())
        {
            bounds.CommandText = "SELECT coalesce(max(seq), 0) FROM events";
            last = Convert.ToInt64(bounds.ExecuteScalar());
        }
        for (var from = afterSequence; from < last; from += slice)
        {
            var sql = $"SELECT {SliceColumns} FROM events WHERE seq > {from} AND seq <= {from + slice}";
            if (NativeMethods.Query.DuckDBQuery(connection.NativeConnection, sql, out var result) == DuckDBState.Error)
            {
                var error = NativeMethods.Query.DuckDBResultError(ref result);
                NativeMethods.Query.DuckDBDestroyResult(ref result);
                throw new InvalidOperationException($"Reading events {from + 1}–{from + slice}: {error}");
            }
            var columns = newBatch?.Invoke() ?? new EventColumns();
            try
            {
                while (true)
                {
                    using var chunk = NativeMethods.Query.DuckDBFetchChunk(result);
                    if (chunk.IsInvalid) break;
                    var size = (int)NativeMethods.DataChunks.DuckDBDataChunkGetSize(chunk);
                    if (size == 0) break;
                    Copy(chunk, size, columns);
                }
            }
            finally
            {
                NativeMethods.Query.DuckDBDestroyResult(ref result);
            }
            if (columns.Count > 0) yield return columns;
        }
    }

    static unsafe void Copy(DuckDBDataChunk chunk, int size, EventColumns columns)
    {
        var column = 0;
        Vector Next() => new(NativeMethods.DataChunks.DuckDBDataChunkGetVector(chunk, column++));
        var sequence = Next();
        var site = Next();
        var micros = Next();
        var visitor = Next();
        var texts = EventColumns.TextNames.Select(_ => Next()).ToArray();
        var keys = Next();
        var values = Next();
        var revenue = Next();
        var engagement = Next();
        var scroll = Next();
        var interactive = Next();
        var into = EventColumns.TextNames.Select(name => columns.Texts[name]).ToArray();
        for (var row = 0; row < size; row++)
        {
            columns.Sequence.Add(sequence.Get<long>(row));
            columns.SiteId.Add(site.Get<int>(row));
            columns.TimestampMicros.Add(micros.Get<long>(row));
            columns.VisitorId.Add(visitor.Get<long>(row));
            // The embedded store joined visits across midnight as they loaded: its ids need no second join.
            columns.PreviousDayVisitorId.Add(visitor.Get<long>(row));
            for (var i = 0; i < texts.Length; i++) into[i].Add(texts[i].Text(row));
            keys.List(row, columns.PropKeys);
            values.List(row, columns.PropValues);
            columns.RevenueMicros.Add(revenue.Valid(row) ? revenue.Get<long>(row) : null);
            columns.EngagementMilliseconds.Add(engagement.Valid(row) ? engagement.Get<int>(row) : null);
            columns.ScrollDepth.Add(scroll.Valid(row) ? scroll.Get<short>(row) : null);
            columns.Interactive.Add(interactive.Get<byte>(row) != 0);
            columns.EndRow();
        }
    }

    /// <summary>One result vector: its data, its validity mask (null when every row is valid).</summary>
    readonly unsafe struct Vector(IntPtr vector)
    {
        readonly byte* data = (byte*)NativeMethods.Vectors.DuckDBVectorGetData(vector);
        readonly ulong* validity = NativeMethods.Vectors.DuckDBVectorGetValidity(vector);

        public T Get<T>(int row) where T : unmanaged => ((T*)data)[row];

        public bool Valid(int row) => validity == null || (validity[row >> 6] & (1UL << (row & 63))) != 0;

        /// <summary>A VARCHAR: 16 bytes, the length, then up to 12 bytes inline or a 4-byte prefix and a pointer.</summary>
        public ReadOnlySpan<byte> Text(int row)
        {
            var entry = data + row * 16;
            var length = *(int*)entry;
            return length <= 12 ? new ReadOnlySpan<byte>(entry + 4, length) : new ReadOnlySpan<byte>(*(byte**)(entry + 8), length);
        }

        /// <summary>A VARCHAR[]: each row's (offset, length) into the child vector of strings.</summary>
        public void List(int row, Utf8ListColumn into)
        {
            var entry = (ulong*)data + row * 2;
            if (entry[1] > 0)
            {
                var child = new Vector(NativeMethods.Vectors.DuckDBListVectorGetChild(vector));
                for (var i = (int)entry[0]; i < (int)(entry[0] + entry[1]); i++) into.Values.Add(child.Text(i));
            }
            into.EndRow();
        }
    }
}
