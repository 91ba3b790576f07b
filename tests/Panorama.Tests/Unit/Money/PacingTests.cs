using Panorama.Core.Department;

namespace Panorama.Tests.Unit.Money;

/// <summary>Budget pacing bands on a 30-day, 3,000 budget seen on its 10th day (1,000 expected by then).</summary>
public sealed class PacingTests
{
    static readonly Budget Budget = new() { Unit = "web", Channel = "Paid Search", PeriodFrom = new(2026, 11, 1), PeriodTo = new(2026, 11, 30), Amount = 3000 };
    static readonly DateOnly Tenth = new(2026, 11, 10);

    [Theory]
    [InlineData(699, PacingBand.Under)]
    [InlineData(700, PacingBand.Risk)]
    [InlineData(899, PacingBand.Risk)]
    [InlineData(900, PacingBand.OnTrack)]
    [InlineData(1100, PacingBand.OnTrack)]
    [InlineData(1101, PacingBand.Over)]
    public void Of_SpendAgainstEvenShare_Band(decimal actual, PacingBand band)
    {
        var pacing = BudgetPacing.Of(Budget, actual, Tenth);
        Assert.Equal((1000m, band), (pacing.ExpectedToDate, pacing.Band!.Value));
    }

    [Fact]
    public void Of_BeforeThePeriod_NoBand() => Assert.Null(BudgetPacing.Of(Budget, 0, new DateOnly(2026, 10, 1)).Band);
}
