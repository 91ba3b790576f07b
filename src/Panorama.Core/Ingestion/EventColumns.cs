using System.Runtime.InteropServices;
using System.Text;

namespace Panorama.Core.Ingestion;

/// <summary>
/// A batch of events column by column, text as UTF-8 bytes: what moves between event stores in bulk (a migration
/// reads DuckDB's vectors straight into it and ClickHouse's Native format is written from it), so that millions of
/// rows cross without a .NET string per value. Money is in micro-units; time in microseconds since the Unix epoch.
/// </summary>
public sealed class EventColumns
{
    /// <summary>The text columns, by their stored name (the same in both stores).</summary>
    public static readonly string[] TextNames =
    [
        "name", "pathname", "hostname", "referrer", "source", "channel", "utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term",
        "browser", "browser_version", "os", "os_version", "device", "screen", "country", "region", "city", "revenue_currency",
    ];

    public int Count { get; private set; }
    public List<long> Sequence { get; } = [];
    public List<int> SiteId { get; } = [];
    public List<long> TimestampMicros { get; } = [];
    public List<long> VisitorId { get; } = [];
    public List<long> PreviousDayVisitorId { get; } = [];
    public Dictionary<string, Utf8Column> Texts { get; } = TextNames.ToDictionary(name => name, _ => new Utf8Column());
    public Utf8ListColumn PropKeys { get; } = new();
    public Utf8ListColumn PropValues { get; } = new();
    public List<long?> RevenueMicros { get; } = [];
    public List<int?> EngagementMilliseconds { get; } = [];
    public List<short?> ScrollDepth { get; } = [];
    public List<bool> Interactive { get; } = [];

    /// <summary>Call once per row after every column got its value.</summary>
    public void EndRow() => Count++;

    /// <summary>Empties the batch but keeps its buffers, so a migration's next slice does not grow them again.</summary>
    public void Clear()
    {
        Count = 0;
        Sequence.Clear();
        SiteId.Clear();
        TimestampMicros.Clear();
        VisitorId.Clear();
        PreviousDayVisitorId.Clear();
        foreach (var text in Texts.Values) text.Clear();
        PropKeys.Clear();
        PropValues.Clear();
        RevenueMicros.Clear();
        EngagementMilliseconds.Clear();
        ScrollDepth.Clear();
        Interactive.Clear();
    }

    public static EventColumns From(IReadOnlyList<EnrichedEvent> events)
    {
        var columns = new EventColumns();
        var into = TextNames.Select(name => columns.Texts[name]).ToArray();
        foreach (var e in events)
        {
            columns.Sequence.Add(e.Sequence);
            columns.SiteId.Add(e.SiteId);
            columns.TimestampMicros.Add((e.Timestamp.Ticks - DateTime.UnixEpoch.Ticks) / 10);
            columns.VisitorId.Add(e.VisitorId);
            columns.PreviousDayVisitorId.Add(e.PreviousDayVisitorId);
            ReadOnlySpan<string> texts = [e.Name, e.Pathname, e.Hostname, e.Referrer, e.Source, e.Channel, e.UtmSource, e.UtmMedium, e.UtmCampaign, e.UtmContent, e.UtmTerm,
                e.Browser, e.BrowserVersion, e.OperatingSystem, e.OperatingSystemVersion, e.Device, e.Screen, e.Country, e.Region, e.City, e.RevenueCurrency];
            for (var i = 0; i < texts.Length; i++) into[i].Add(texts[i]);
            columns.PropKeys.Add(e.PropKeys);
            columns.PropValues.Add(e.PropValues);
            columns.RevenueMicros.Add(e.RevenueAmount is { } amount ? (long)decimal.Round(amount * 1_000_000m) : null);
            columns.EngagementMilliseconds.Add(e.EngagementMilliseconds);
            columns.ScrollDepth.Add(e.ScrollDepth is { } depth ? (short)depth : null);
            columns.Interactive.Add(e.Interactive);
            columns.EndRow();
        }
        return columns;
    }
}

/// <summary>Strings as UTF-8 bytes back to back, with each row's end offset.</summary>
public sealed class Utf8Column
{
    byte[] bytes = new byte[1 << 12];
    int length;
    readonly List<int> ends = [];

    public int Count => ends.Count;

    /// <summary>The values' bytes back to back, and each row's end offset into them (for encoders).</summary>
    public ReadOnlySpan<byte> Bytes => bytes.AsSpan(0, length);
    public ReadOnlySpan<int> Ends => CollectionsMarshal.AsSpan(ends);
    public int ByteCount => length;

    public ReadOnlySpan<byte> this[int row] => bytes.AsSpan(row == 0 ? 0 : ends[row - 1], ends[row] - (row == 0 ? 0 : ends[row - 1]));

    public void Add(ReadOnlySpan<byte> utf8)
    {
        utf8.CopyTo(Room(utf8.Length));
        length += utf8.Length;
        ends.Add(length);
    }

    public void Add(string text)
    {
        var written = Encoding.UTF8.GetBytes(text, Room(Encoding.UTF8.GetMaxByteCount(text.Length)));
        length += written;
        ends.Add(length);
    }

    public void Clear()
    {
        length = 0;
        ends.Clear();
    }

    Span<byte> Room(int count)
    {
        if (length + count > bytes.Length) Array.Resize(ref bytes, Math.Max(bytes.Length * 2, length + count));
        return bytes.AsSpan(length, count);
    }
}

/// <summary>A list of strings per row: every row's end offset into one column of the values.</summary>
public sealed class Utf8ListColumn
{
    readonly List<int> ends = [];

    public Utf8Column Values { get; } = new();

    public int Start(int row) => row == 0 ? 0 : ends[row - 1];
    public int End(int row) => ends[row];

    public void Add(string[] values)
    {
        foreach (var value in values) Values.Add(value);
        EndRow();
    }

    /// <summary>Closes a row whose values were added to <see cref="Values"/> directly.</summary>
    public void EndRow() => ends.Add(Values.Count);

    public void Clear()
    {
        ends.Clear();
        Values.Clear();
    }
}
