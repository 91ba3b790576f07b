namespace Panorama.Core.Ingestion;

/// <summary>The spool's binary form of an event. Field order is the format: append new fields at the end with a version bump.</summary>
static class EventRecord
{
    /// <summary>2 added the previous-day id, which the store needs to continue a visit across midnight; 1 is still read.</summary>
    const byte Version = 2;

    public static void Write(BinaryWriter writer, EnrichedEvent e)
    {
        writer.Write(Version);
        writer.Write(e.Sequence);
        writer.Write(e.SiteId);
        writer.Write(e.Timestamp.Ticks);
        writer.Write(e.VisitorId);
        writer.Write(e.Name);
        writer.Write(e.Pathname);
        writer.Write(e.Hostname);
        writer.Write(e.Referrer);
        writer.Write(e.Source);
        writer.Write(e.Channel);
        writer.Write(e.UtmSource);
        writer.Write(e.UtmMedium);
        writer.Write(e.UtmCampaign);
        writer.Write(e.UtmContent);
        writer.Write(e.UtmTerm);
        writer.Write(e.Browser);
        writer.Write(e.BrowserVersion);
        writer.Write(e.OperatingSystem);
        writer.Write(e.OperatingSystemVersion);
        writer.Write(e.Device);
        writer.Write(e.Screen);
        writer.Write(e.Country);
        writer.Write(e.Region);
        writer.Write(e.City);
        writer.Write(e.PropKeys.Length);
        for (var i = 0; i < e.PropKeys.Length; i++)
        {
            writer.Write(e.PropKeys[i]);
            writer.Write(e.PropValues[i]);
        }
        writer.Write(e.RevenueAmount.HasValue);
        if (e.RevenueAmount is { } amount) writer.Write(amount);
        writer.Write(e.RevenueCurrency);
        writer.Write(e.EngagementMilliseconds ?? -1);
        writer.Write(e.ScrollDepth ?? -1);
        writer.Write(e.Interactive);
        writer.Write(e.PreviousDayVisitorId);
    }

    public static EnrichedEvent Read(BinaryReader reader)
    {
        var version = reader.ReadByte();
        if (version is not (1 or Version)) throw new InvalidDataException($"Unknown spool record version {version}.");
        var sequence = reader.ReadInt64();
        var siteId = reader.ReadInt32();
        var timestamp = new DateTime(reader.ReadInt64(), DateTimeKind.Utc);
        var visitorId = reader.ReadInt64();
        var name = reader.ReadString();
        var pathname = reader.ReadString();
        var hostname = reader.ReadString();
        var referrer = reader.ReadString();
        var source = reader.ReadString();
        var channel = reader.ReadString();
        var utmSource = reader.ReadString();
        var utmMedium = reader.ReadString();
        var utmCampaign = reader.ReadString();
        var utmContent = reader.ReadString();
        var utmTerm = reader.ReadString();
        var browser = reader.ReadString();
        var browserVersion = reader.ReadString();
        var os = reader.ReadString();
        var osVersion = reader.ReadString();
        var device = reader.ReadString();
        var screen = reader.ReadString();
        var country = reader.ReadString();
        var region = reader.ReadString();
        var city = reader.ReadString();
        var propCount = reader.ReadInt32();
        var keys = new string[propCount];
        var values = new string[propCount];
        for (var i = 0; i < propCount; i++)
        {
            keys[i] = reader.ReadString();
            values[i] = reader.ReadString();
        }
        decimal? revenue = reader.ReadBoolean() ? reader.ReadDecimal() : null;
        var currency = reader.ReadString();
        var engagement = reader.ReadInt32();
        var scroll = reader.ReadInt32();
        var interactive = reader.ReadBoolean();
        var previousDayVisitorId = version >= 2 ? reader.ReadInt64() : visitorId;
        return new EnrichedEvent
        {
            Sequence = sequence, SiteId = siteId, Timestamp = timestamp, VisitorId = visitorId, PreviousDayVisitorId = previousDayVisitorId,
            Name = name, Pathname = pathname, Hostname = hostname, Referrer = referrer, Source = source, Channel = channel,
            UtmSource = utmSource, UtmMedium = utmMedium, UtmCampaign = utmCampaign, UtmContent = utmContent, UtmTerm = utmTerm,
            Browser = browser, BrowserVersion = browserVersion, OperatingSystem = os, OperatingSystemVersion = osVersion,
            Device = device, Screen = screen, Country = country, Region = region, City = city, PropKeys = keys, PropValues = values,
            RevenueAmount = revenue, RevenueCurrency = currency, EngagementMilliseconds = engagement < 0 ? null : engagement,
            ScrollDepth = scroll < 0 ? null : scroll, Interactive = interactive,
        };
    }
}
