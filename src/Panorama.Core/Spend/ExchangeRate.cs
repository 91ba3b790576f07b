namespace Panorama.Core.Spend;

/// <summary>A rate the user supplies for a period: one unit of <see cref="Currency"/> is <see cref="Rate"/> units of <see cref="To"/>.</summary>
public sealed record ExchangeRate(string Currency, string To, DateOnly From, DateOnly Until, decimal Rate)
{
    /// <summary>
    /// Converts an amount spent on a day into <paramref name="target"/>; null when no supplied rate covers it (such spend
    /// is left out and the page says how much).
    /// </summary>
    public static decimal? Convert(decimal amount, string currency, DateOnly day, string target, IEnumerable<ExchangeRate> rates)
    {
        if (currency == target) return amount;
        var rate = rates.FirstOrDefault(r => r.From <= day && day <= r.Until && r.Currency == currency && r.To == target);
        if (rate is not null) return Math.Round(amount * rate.Rate, 2);
        var inverse = rates.FirstOrDefault(r => r.From <= day && day <= r.Until && r.Currency == target && r.To == currency && r.Rate != 0);
        return inverse is null ? null : Math.Round(amount / inverse.Rate, 2);
    }
}
