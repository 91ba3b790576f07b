using System.Text;
using Panorama.Core.Spend;

namespace Panorama.Tests.Unit.Money;

/// <summary>Spend files: formats accepted, and malformed ones rejected whole with line numbers.</summary>
public sealed class SpendImportTests
{
    static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public void Parse_GenericCsv_ReadsEveryRow()
    {
        var rows = SpendImport.Parse(Utf8("date,channel,campaign,cost,currency,clicks,impressions\n2026-11-01,Paid Search,autumn,1500.50,RUB,120,4000\n2026-11-01,Paid Social,,300,rub,,\n"), 7);
        Assert.Equal(2, rows.Count);
        Assert.Equal((new DateOnly(2026, 11, 1), "Paid Search", "autumn", 1500.50m, "RUB", 120L, 4000L),
            (rows[0].Day, rows[0].Channel, rows[0].Campaign, rows[0].Cost, rows[0].Currency, rows[0].Clicks!.Value, rows[0].Impressions!.Value));
        Assert.Equal(("(none)", "RUB"), (rows[1].Campaign, rows[1].Currency));
    }

    [Fact]
    public void Parse_Windows1251SemicolonsAndRussianHeaders_LikeYandexDirect()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var file = Encoding.GetEncoding(1251).GetBytes("День;Канал;Кампания;Расход;Валюта\n01.11.2026;Paid Search;осень;1 234,50;RUB\n");
        var row = Assert.Single(SpendImport.Parse(file, 1));
        Assert.Equal(("осень", 1234.50m, new DateOnly(2026, 11, 1)), (row.Campaign, row.Cost, row.Day));
    }

    [Fact]
    public void Parse_BadDatesUnknownCurrencyAndDuplicates_RejectedWithLines()
    {
        var error = Assert.Throws<SpendImportException>(() => SpendImport.Parse(Utf8(
            "date,channel,campaign,cost,currency\n2026-11-31,Paid Search,a,10,RUB\n2026-11-02,Paid Search,a,10,XYZ\n2026-11-03,Paid Search,a,ten,RUB\n2026-11-04,Paid Search,a,10,RUB\n2026-11-04,Paid Search,a,12,RUB\n"), 1));
        Assert.Equal(
        [
            "line 2: date: '2026-11-31' is not a date (YYYY-MM-DD or DD.MM.YYYY).",
            "line 3: currency: 'XYZ' is not an ISO 4217 currency code.",
            "line 4: cost: 'ten' is not an amount of zero or more.",
            "line 6: the same day, channel, campaign and currency as line 5.",
        ], error.Errors);
    }

    [Fact]
    public void Parse_MissingColumn_RejectedAtTheHeader()
    {
        var error = Assert.Throws<SpendImportException>(() => SpendImport.Parse(Utf8("date,channel,cost\n2026-11-01,Email,5\n"), 1));
        Assert.Equal(["line 1: the header has no 'campaign' column.", "line 1: the header has no 'currency' column."], error.Errors);
    }

    [Fact]
    public void Read_GoogleAdsExport_SkipsTitleAndTotalsAndImpliesPaidSearch()
    {
        var (rows, platform) = SpendImport.Read(Utf8(
            "Campaign report\n\"November 1, 2026 - November 2, 2026\"\nDay,Campaign,Currency code,Cost,Impr.,Clicks\n" +
            "2026-11-01,autumn_sale,USD,\"1,234.56\",\"12,000\",340\n\"Nov 2, 2026\",autumn_sale,USD,99.10,800,21\n" +
            "Total: Campaigns,,USD,\"1,333.66\",\"12,800\",361\n"), 3);
        Assert.Equal("Google Ads", platform);
        Assert.Equal(2, rows.Count);
        Assert.Equal(("Paid Search", "autumn_sale", 1234.56m, "USD", 12000L, 340L), (rows[0].Channel, rows[0].Campaign, rows[0].Cost, rows[0].Currency, rows[0].Impressions!.Value, rows[0].Clicks!.Value));
        Assert.Equal((new DateOnly(2026, 11, 2), 99.10m), (rows[1].Day, rows[1].Cost));
    }

    [Fact]
    public void Read_YandexDirectExportInWindows1251_TakesTheCurrencyFromTheCostColumn()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var file = Encoding.GetEncoding(1251).GetBytes(
            "\"Статистика по кампаниям с 01.11.2026 по 02.11.2026\"\nДата\tКампания\t№ Кампании\tПоказы\tКлики\tРасход (руб.)\n" +
            "01.11.2026\tосень_распродажа\t7001\t10 500\t210\t4 200,75\n02.11.2026\tосень_распродажа\t7001\t9 800\t-\t-\nИтого\t\t\t20 300\t210\t4 200,75\n");
        var (rows, platform) = SpendImport.Read(file, 3);
        Assert.Equal("Yandex Direct", platform);
        Assert.Equal(2, rows.Count);
        Assert.Equal(("Paid Search", "осень_распродажа", 4200.75m, "RUB", 10500L, 210L), (rows[0].Channel, rows[0].Campaign, rows[0].Cost, rows[0].Currency, rows[0].Impressions!.Value, rows[0].Clicks!.Value));
        Assert.Equal((0m, 0L), (rows[1].Cost, rows[1].Clicks!.Value));
    }

    [Fact]
    public void Read_VkAdsExport_ImpliesPaidSocialUnlessAChannelIsNamed()
    {
        var file = Utf8("Дата;Кампания;Показы;Клики;Потрачено, ₽\n01.11.2026;retargeting;5000;120;1 500,00\n");
        var (rows, platform) = SpendImport.Read(file, 3);
        Assert.Equal("VK Ads", platform);
        Assert.Equal(("Paid Social", 1500m, "RUB"), (rows[0].Channel, rows[0].Cost, rows[0].Currency));
        Assert.Equal("Display", SpendImport.Read(file, 3, "Display").Rows[0].Channel);
    }

    [Fact]
    public void Read_GenericFileWithoutChannel_NeedsOneNamed()
    {
        var file = Utf8("date,campaign,cost,currency\n2026-11-01,spring,10,EUR\n");
        var error = Assert.Throws<SpendImportException>(() => SpendImport.Read(file, 1));
        Assert.Equal(["line 1: the header has no 'channel' column."], error.Errors);
        Assert.Equal("Email", SpendImport.Read(file, 1, "Email").Rows[0].Channel);
    }

    [Fact]
    public void Read_NoHeader_SaysSo()
    {
        var error = Assert.Throws<SpendImportException>(() => SpendImport.Read(Utf8("\nhello,world\n1,2\n"), 1));
        Assert.Equal(["line 2: no header with a date and a cost column in the first lines."], error.Errors);
    }
}
