namespace Panorama.Core.Enrichment;

/// <summary>Where an IP address is: ISO country code, region and city, each empty when unknown.</summary>
public sealed record GeoLocation(string Country, string Region, string City)
{
    public static readonly GeoLocation Unknown = new("", "", "");
}
