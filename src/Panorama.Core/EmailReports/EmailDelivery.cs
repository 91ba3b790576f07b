namespace Panorama.Core.EmailReports;

/// <summary>
/// A report sent (or being sent) for one period. The pair (subscription, period) is unique, so of several nodes that find a
/// report due at once, only the one whose row goes in sends it.
/// </summary>
public sealed class EmailDelivery
{
    public int Id { get; set; }

    public int SubscriptionId { get; set; }

    /// <summary>The period's key: <c>week:2026-11-16</c>, <c>month:2026-11</c>, or <c>spike:</c>/<c>drop:</c> and the UTC half day.</summary>
    public required string Period { get; set; }

    public DateTimeOffset SentAt { get; set; }
}
