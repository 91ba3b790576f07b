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
}
