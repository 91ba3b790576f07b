using Panorama.Core.Spend;

namespace Panorama.Tests.Unit.Money;

public sealed class ExchangeRateTests
{
    static readonly ExchangeRate[] Rates =
    [
        new("USD", "RUB", new(2026, 11, 1), new(2026, 11, 15), 90m),
        new("USD", "RUB", new(2026, 11, 16), new(2026, 11, 30), 95m),
        new("EUR", "USD", new(2026, 11, 1), new(2026, 11, 30), 1.1m),
    ];

    [Theory]
    [InlineData(100, "USD", "2026-11-10", "RUB", 9000)]
    [InlineData(100, "USD", "2026-11-20", "RUB", 9500)]
    [InlineData(100, "RUB", "2026-11-20", "RUB", 100)]
    [InlineData(9500, "RUB", "2026-11-20", "USD", 100)]
    public void Convert_RateOfTheDay_EitherWay(decimal amount, string currency, string day, string target, decimal expected) =>
        Assert.Equal(expected, ExchangeRate.Convert(amount, currency, DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture), target, Rates));

    [Fact]
    public void Convert_NoRateForTheDayOrPair_Null()
    {
        Assert.Null(ExchangeRate.Convert(100, "USD", new DateOnly(2026, 12, 1), "RUB", Rates));
        Assert.Null(ExchangeRate.Convert(100, "EUR", new DateOnly(2026, 11, 10), "RUB", Rates));
    }
}
