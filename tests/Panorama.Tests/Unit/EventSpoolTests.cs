using Panorama.Core.Ingestion;
using Panorama.Tests.Support;

namespace Panorama.Tests.Unit;

public sealed class EventSpoolTests : IDisposable
{
    readonly TempDirectory folder = new();

    static EnrichedEvent Event(long sequence) => new()
    {
        Sequence = sequence, SiteId = 3, Timestamp = new DateTime(2026, 11, 20, 10, 0, 0, DateTimeKind.Utc).AddTicks(sequence), VisitorId = 42 + sequence,
        PreviousDayVisitorId = 7 + sequence,
        Name = "Purchase", Pathname = "/checkout/оплата", Hostname = "shop.example", Referrer = "yandex.ru/search", Source = "Yandex",
        Channel = "Organic Search", UtmCampaign = "осень", Browser = "Chrome", Country = "RU", PropKeys = ["plan", "seats"], PropValues = ["pro", "3"],
        RevenueAmount = 1234.56m, RevenueCurrency = "RUB", EngagementMilliseconds = sequence % 2 == 0 ? 5000 : null, ScrollDepth = 80, Interactive = true,
    };

    [Fact]
    public void Append_ThenReadAll_EveryFieldRoundTrips()
    {
        using (var spool = new EventSpool(folder.Path))
        {
            spool.Append([Event(1), Event(2)]);
            spool.Append([Event(3)]);
        }
        using var reopened = new EventSpool(folder.Path);
        var read = reopened.ReadAll().ToList();
        Assert.Equal([1L, 2L, 3L], read.Select(e => e.Sequence));
        var expected = Event(2);
        var actual = read[1];
        // Every field, the previous-day id too: an event replayed after a crash must still continue a visit across midnight.
        foreach (var property in typeof(EnrichedEvent).GetProperties())
        {
            var value = property.GetValue(actual);
            if (value is string[] list) Assert.Equal((string[])property.GetValue(expected)!, list);
            else Assert.Equal(property.GetValue(expected), value);
        }
    }

    [Fact]
    public void ReadAll_TornLastRecord_Skipped()
    {
        using (var spool = new EventSpool(folder.Path)) spool.Append([Event(1), Event(2)]);
        var segment = Directory.GetFiles(folder.Path).Single();
        using (var stream = new FileStream(segment, FileMode.Open)) stream.SetLength(stream.Length - 5);
        using var reopened = new EventSpool(folder.Path);
        Assert.Equal([1L], reopened.ReadAll().Select(e => e.Sequence));
    }

    [Fact]
    public void ReadAll_SegmentsNamedByAClockThatSteppedBack_StillInSequenceOrder()
    {
        using (var spool = new EventSpool(folder.Path, segmentBytes: 1))
        {
            spool.Append([Event(1), Event(2)]);
            spool.Append([Event(3)]);
            spool.Append([Event(4)]);
        }
        // Segments are named by the time they were opened; give the newest the earliest name.
        var segments = Directory.GetFiles(folder.Path).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(3, segments.Count);
        File.Move(segments[2], Path.Combine(folder.Path, "19990101000000000000-stepped-back.spool"));
        using var reopened = new EventSpool(folder.Path);
        Assert.Equal([1L, 2L, 3L, 4L], reopened.ReadAll().Select(e => e.Sequence));
    }

    [Fact]
    public void Reopened_TakesOverTheLastRunsSegments_AndReleasesThemOnceStored()
    {
        using (var spool = new EventSpool(folder.Path, segmentBytes: 1))
        {
            spool.Append([Event(1), Event(2)]);
            spool.Append([Event(3)]);
        }
        // A segment the last run opened and died before writing a whole record into.
        File.WriteAllBytes(Path.Combine(folder.Path, "29990101000000000000-torn.spool"), [7, 0]);
        using var reopened = new EventSpool(folder.Path, segmentBytes: 1);
        Assert.Equal(1L, reopened.FirstSequence);
        Assert.Equal(3L, reopened.LastSequence);
        Assert.Equal(2, Directory.GetFiles(folder.Path).Length);
        var leftBytes = reopened.Bytes;
        Assert.True(leftBytes > 0);

        reopened.Append([Event(4)]);
        Assert.Equal([2L, 3L, 4L], reopened.Read(after: 1, through: 9).Select(e => e.Sequence));
        reopened.Release(committedSequence: 3);
        Assert.Equal([4L], reopened.ReadAll().Select(e => e.Sequence));
        Assert.True(reopened.Bytes < leftBytes);
    }

    [Fact]
    public void Opened_Empty_NoEarlierEvents()
    {
        using var spool = new EventSpool(folder.Path);
        Assert.Null(spool.FirstSequence);
        Assert.Null(spool.LastSequence);
        Assert.Equal(0, spool.Bytes);
    }

    [Theory]
    [InlineData(16 * 1024 * 1024)]
    [InlineData(1)] // every append in a segment of its own
    public void Read_ARangeOfSequences_InOrder_FromTheSegmentsBeingWritten(long segmentBytes)
    {
        using var spool = new EventSpool(folder.Path, segmentBytes: segmentBytes);
        spool.Append([Event(1), Event(2)]);
        spool.Append([Event(3)]);
        spool.Append([Event(4), Event(5), Event(6)]);

        Assert.Equal([2L, 3L, 4L], spool.Read(after: 1, through: 4).Select(e => e.Sequence));
        Assert.Equal([1L, 2L, 3L, 4L, 5L, 6L], spool.Read(after: 0, through: 99).Select(e => e.Sequence));
        Assert.Empty(spool.Read(after: 6, through: 9));
        Assert.Equal("/checkout/оплата", spool.Read(after: 4, through: 5).Single().Pathname);

        spool.Release(committedSequence: 3);
        Assert.Equal([4L, 5L, 6L], spool.Read(after: 3, through: 6).Select(e => e.Sequence));
    }

    public void Dispose() => folder.Dispose();
}
