using Panorama.Core.Attribution;
using Panorama.Core.Department;

namespace Panorama.Tests.Unit.Money;

public sealed class StaffCostTests
{
    [Fact]
    public void StaffCostByChannel_FunctionHoursShareOfHoldersCost_SplitByChannels()
    {
        // Anna costs 4,000 a month for 40 h a week; ads take 20 of them: 2,000 a month, half to each of its two channels.
        var model = DepartmentDocument.Parse("""
            people: [{id: anna, name: Anna, hours_per_week: 40, monthly_cost: 4000}]
            functions:
              - {id: ads, name: Ads, accountable: [anna], weekly_hours: 20, channels: [Paid Search, Email]}
              - {id: seo, name: SEO, accountable: [anna], weekly_hours: 10}
            """);
        Assert.Equal(new Dictionary<string, decimal> { ["Paid Search"] = 1000m, ["Email"] = 1000m }, model.StaffCostByChannel(30));
        Assert.Equal(500m, model.StaffCostByChannel(15)["Email"]);
        // Fully loaded: 3,000 of spend plus 1,000 of staff over 4 conversions.
        var channel = new ChannelReturn("Paid Search", "", 3000, 4, 10000);
        Assert.Equal(1000m, (channel.Spend + model.StaffCostByChannel(30)["Paid Search"]) / channel.Conversions);
    }
}
