namespace Panorama.Core.Attribution;

/// <summary>A conversion (an event matching the goal) with its revenue and the visits of the same visitor before it, within the lookback.</summary>
public sealed record ConversionPath(DateTime ConvertedAt, decimal Revenue, IReadOnlyList<Touch> Touches);

/// <summary>Conversions and revenue credited to one channel and campaign, with the spend on it and what follows.</summary>
public sealed record ChannelReturn(string Channel, string Campaign, decimal Spend, decimal Conversions, decimal Revenue)
{
    /// <summary>Cost per attributed conversion.</summary>
    public decimal? Cac => Conversions > 0 && Spend > 0 ? Math.Round(Spend / Conversions, 2) : null;

    /// <summary>Revenue per unit of spend.</summary>
    public decimal? Roas => Spend > 0 ? Math.Round(Revenue / Spend, 4) : null;

    /// <summary>(Revenue − spend) ÷ spend.</summary>
    public decimal? Roi => Spend > 0 ? Math.Round((Revenue - Spend) / Spend, 4) : null;

    /// <summary>
    /// What cutting <paramref name="cut"/> of this spend would lose, assuming the return of the last period holds at the
    /// margin (each unit of spend keeps bringing the same conversions and revenue) — an upper estimate when returns diminish.
    /// </summary>
    public (decimal Conversions, decimal Revenue)? CostOfCut(decimal cut) =>
        Spend > 0 ? (Math.Round(Conversions * cut / Spend, 2), Math.Round(Revenue * cut / Spend, 2)) : null;
}

public static class ReturnCalculator
{
    /// <summary>Credits each conversion's count and revenue to its touches under the model, and joins the spend by channel and campaign.</summary>
    public static IReadOnlyList<ChannelReturn> Compute(AttributionModel model, IEnumerable<ConversionPath> conversions,
        IReadOnlyDictionary<(string Channel, string Campaign), decimal> spend)
    {
        var credit = new Dictionary<(string, string), (decimal Conversions, decimal Revenue)>();
        foreach (var conversion in conversions)
        {
            var weights = Attribution.Weights(model, conversion.Touches, conversion.ConvertedAt);
            for (var i = 0; i < weights.Count; i++)
            {
                var key = (conversion.Touches[i].Channel, conversion.Touches[i].Campaign);
                var (count, revenue) = credit.GetValueOrDefault(key);
                credit[key] = (count + weights[i], revenue + weights[i] * conversion.Revenue);
            }
        }
        return credit.Keys.Union(spend.Keys)
            .Select(key => new ChannelReturn(key.Item1, key.Item2, spend.GetValueOrDefault(key),
                Math.Round(credit.GetValueOrDefault(key).Conversions, 4), Math.Round(credit.GetValueOrDefault(key).Revenue, 2)))
            .OrderByDescending(r => r.Revenue).ThenByDescending(r => r.Spend).ThenBy(r => r.Channel, StringComparer.Ordinal).ThenBy(r => r.Campaign, StringComparer.Ordinal)
            .ToList();
    }
}
