namespace Panorama.Core.Privacy;

/// <summary>The random salt that keys visitor hashes for one UTC day. Deleted 48 hours after creation.</summary>
public sealed class DailySalt
{
    public DateOnly Day { get; set; }
    public required byte[] Secret { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
