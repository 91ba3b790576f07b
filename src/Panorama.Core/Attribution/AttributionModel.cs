namespace Panorama.Core.Attribution;

public enum AttributionModel { FirstTouch, LastNonDirect, Linear, PositionBased, TimeDecay }

/// <summary>One visit before a conversion: when it started, and the channel and campaign it came from.</summary>
public sealed record Touch(DateTime At, string Channel, string Campaign);

/// <summary>Splits the credit for one conversion over the visits that led to it, under each attribution model.</summary>
public static class Attribution
{
    public static readonly TimeSpan HalfLife = TimeSpan.FromDays(7);
    public const string Direct = "Direct";

    /// <summary>The weight of each touch (summing to 1; empty without touches), touches ordered by time.</summary>
    public static IReadOnlyList<decimal> Weights(AttributionModel model, IReadOnlyList<Touch> touches, DateTime convertedAt)
    {
        var n = touches.Count;
        if (n == 0) return [];
        var weights = new decimal[n];
        switch (model)
        {
            case AttributionModel.FirstTouch:
                weights[0] = 1;
                break;
            case AttributionModel.LastNonDirect:
                // The last touch that was not direct; direct only when every touch was.
                var last = Enumerable.Range(0, n).LastOrDefault(i => touches[i].Channel != Direct, n - 1);
                weights[last] = 1;
                break;
            case AttributionModel.Linear:
                for (var i = 0; i < n; i++) weights[i] = 1m / n;
                break;
            case AttributionModel.PositionBased:
                // 40% to the first, 40% to the last, 20% shared by the ones between; halves when there are two.
                if (n == 1) weights[0] = 1;
                else if (n == 2) weights[0] = weights[1] = 0.5m;
                else
                {
                    weights[0] = weights[n - 1] = 0.4m;
                    for (var i = 1; i < n - 1; i++) weights[i] = 0.2m / (n - 2);
                }
                break;
            case AttributionModel.TimeDecay:
                // A touch's weight halves with every 7 days between it and the conversion.
                var raw = touches.Select(t => Math.Pow(2, -(convertedAt - t.At).TotalDays / HalfLife.TotalDays)).ToArray();
                var sum = raw.Sum();
                for (var i = 0; i < n; i++) weights[i] = (decimal)(raw[i] / sum);
                break;
        }
        return weights;
    }
}
