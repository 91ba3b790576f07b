using System.Text;

namespace Panorama.Core.Ingestion;

/// <summary>
/// The local write-ahead spool. An event is acknowledged once its batch is written here (to the operating
/// system, and to disk when <c>flushToDisk</c> is set), which survives a <c>kill -9</c> of the server; the
/// loader then moves events to the event store in large batches, and spooled events the store does not
/// yet have are replayed at start-up. Segments are deleted once the store holds all their events.
/// Written by the acknowledger and released by the loader, under one lock.
/// </summary>
public sealed class EventSpool : IDisposable
{
    const long SegmentBytes = 16 * 1024 * 1024;
    const string Extension = ".spool";

    readonly string directory;
    readonly bool flushToDisk;
    readonly List<(string Path, long LastSequence)> closed = [];
    readonly MemoryStream buffer = new();
    readonly Lock gate = new();
    FileStream? current;
    string currentPath = "";
    long currentLastSequence;
    long bytes;

    public EventSpool(string directory, bool flushToDisk = false)
    {
        this.directory = directory;
        this.flushToDisk = flushToDisk;
        Directory.CreateDirectory(directory);
    }

    /// <summary>Bytes held in the spool's segments.</summary>
    public long Bytes => Interlocked.Read(ref bytes);

    /// <summary>Reads every spooled event in order, for replay at start-up. A torn last record is skipped.</summary>
    public IEnumerable<EnrichedEvent> ReadAll()
    {
        foreach (var path in Segments())
        {
            using var stream = File.OpenRead(path);
            using var reader = new BinaryReader(stream, Encoding.UTF8);
            while (true)
            {
                EnrichedEvent? read;
                try
                {
                    if (stream.Position + 4 > stream.Length) break;
                    var length = reader.ReadInt32();
                    if (length <= 0 || stream.Position + length > stream.Length) break;
                    read = EventRecord.Read(reader);
                }
                catch (EndOfStreamException)
                {
                    break;
                }
                yield return read;
            }
        }
    }

    /// <summary>Deletes every segment (after a replay has put their events in the store).</summary>
    public void Clear()
    {
        using var _ = gate.EnterScope();
        current?.Dispose();
        current = null;
        foreach (var path in Segments()) File.Delete(path);
        closed.Clear();
        Interlocked.Exchange(ref bytes, 0);
    }

    /// <summary>Writes the events (which carry their sequence numbers) in one write.</summary>
    public void Append(IReadOnlyList<EnrichedEvent> events)
    {
        if (events.Count == 0) return;
        using var _ = gate.EnterScope();
        buffer.SetLength(0);
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            foreach (var e in events)
            {
                var start = buffer.Position;
                writer.Write(0);
                EventRecord.Write(writer, e);
                var end = buffer.Position;
                buffer.Position = start;
                writer.Write((int)(end - start - 4));
                buffer.Position = end;
            }
        }
        if (current is null || current.Length >= SegmentBytes) Roll();
        current!.Write(buffer.GetBuffer(), 0, (int)buffer.Length);
        current.Flush(flushToDisk);
        currentLastSequence = events[^1].Sequence;
        Interlocked.Add(ref bytes, buffer.Length);
    }

    /// <summary>Deletes the segments whose events are all in the store.</summary>
    public void Release(long committedSequence)
    {
        using var _ = gate.EnterScope();
        for (var i = closed.Count - 1; i >= 0; i--)
        {
            if (closed[i].LastSequence > committedSequence) continue;
            Interlocked.Add(ref bytes, -new FileInfo(closed[i].Path).Length);
            File.Delete(closed[i].Path);
            closed.RemoveAt(i);
        }
        // A fully committed current segment is closed early, so it can go too.
        if (current is not null && currentLastSequence <= committedSequence && current.Length > 1024 * 1024) Roll();
    }

    void Roll()
    {
        if (current is not null)
        {
            current.Dispose();
            closed.Add((currentPath, currentLastSequence));
        }
        currentPath = Path.Combine(directory, $"{DateTime.UtcNow:yyyyMMddHHmmssfffffff}-{Guid.NewGuid():N}{Extension}");
        current = new FileStream(currentPath, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 1, FileOptions.None);
    }

    IEnumerable<string> Segments() => Directory.EnumerateFiles(directory, "*" + Extension).Order(StringComparer.Ordinal);

    public void Dispose()
    {
        current?.Dispose();
        buffer.Dispose();
    }
}
