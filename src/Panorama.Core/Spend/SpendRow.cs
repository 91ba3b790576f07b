namespace Panorama.Core.Spend;

/// <summary>
/// Money spent on one channel and campaign on one day for one site's traffic. The campaign is the UTM campaign the ads
/// carry, which joins spend to the visits they bring; the channel uses the analytics' names (Paid Search, Paid Social…).
/// </summary>
public sealed class SpendRow
{
    public int Id { get; set; }
    public int SiteId { get; set; }
    public DateOnly Day { get; set; }
    public required string Channel { get; set; }
    public required string Campaign { get; set; }
    public decimal Cost { get; set; }
    public required string Currency { get; set; }
    public long? Clicks { get; set; }
    public long? Impressions { get; set; }

    /// <summary>Site, day, channel, campaign and currency: importing a row with the same key replaces it, so a file can be imported twice.</summary>
    public required string RowKey { get; set; }
}
