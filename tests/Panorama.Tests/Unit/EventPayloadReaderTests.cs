using System.Text;
using Panorama.Core.Ingestion;

namespace Panorama.Tests.Unit;

public class EventPayloadReaderTests
{
    static EventPayloadReader.Result Plausible(string json) => EventPayloadReader.ReadPlausible(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void ReadPlausible_ShortNames_AllFields()
    {
        var result = Plausible("""{"n":"Signup","u":"https://shop.example/pricing#top","d":"shop.example","r":"https://t.me/x","w":390,"h":1,"p":{"plan":"pro","seats":3,"trial":true},"$":{"amount":"49.90","currency":"eur"}}""");
        var e = result.Event!;
        Assert.Null(result.Rejection);
        Assert.Equal("Signup", e.Name);
        Assert.Equal(["shop.example"], e.Domains);
        Assert.Equal("https://t.me/x", e.Referrer!.ToString());
        Assert.True(e.HashMode);
        Assert.Equal(390, e.ScreenWidth);
        Assert.Equal([new("plan", "pro"), new("seats", "3"), new("trial", "true")], e.Props);
        Assert.Equal(49.90m, e.RevenueAmount);
        Assert.Equal("EUR", e.RevenueCurrency);
    }

    [Fact]
    public void ReadPlausible_LongNamesAndStringProps_Read()
    {
        var e = Plausible("""{"name":"pageview","url":"https://shop.example/","domain":"shop.example","props":"{\"a\":\"b\"}","interactive":false}""").Event!;
        Assert.Equal([new("a", "b")], e.Props);
        Assert.False(e.Interactive);
    }

    [Fact]
    public void ReadPlausible_Overrides_Read()
    {
        var e = Plausible("""{"n":"pageview","u":"https://s.example/","d":"s.example","timestamp":1764000000,"ip":"203.0.113.9","userAgent":"UA/1"}""").Event!;
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1764000000), e.TimestampOverride);
        Assert.Equal("203.0.113.9", e.IpOverride);
        Assert.Equal("UA/1", e.UserAgentOverride);
    }

    [Fact]
    public void ReadPlausible_EscapedKeysDuplicatesAndUnknownFields_ReadAsJsonSays()
    {
        // An escaped key is the same key; a later duplicate wins; short names win over long ones; unknown values of any
        // shape are skipped.
        var e = Plausible("""
            {"\u006e":"first","n":"Signup","name":"ignored","u":"https://s.example/a","url":"https://s.example/b","d":"s.example",
             "x":{"deep":[1,{"y":null}]},"meta":{"k":"v"},"i":0,"interactive":false,"w":"1280","sd":"40","e":1500.4}
            """).Event!;
        Assert.Equal("Signup", e.Name);
        Assert.Equal("/a", e.Url.AbsolutePath);
        Assert.Equal([new("k", "v")], e.Props);
        Assert.True(e.Interactive);
        Assert.Equal(1280, e.ScreenWidth);
        Assert.Equal(40, e.ScrollDepth);
        Assert.Equal(1500, e.EngagementMilliseconds);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "not valid JSON")]
    [InlineData("""{"n":"pageview","u":"https://s.example/","d":"s.example","x":[[[[[[[[[1]]]]]]]]]}""", "not valid JSON")]
    [InlineData("""{"n":"pageview","u":"https://s.example/","d":"s.example",}""", "not valid JSON")]
    [InlineData("\"text\"", "JSON object")]
    [InlineData("{\"n\":", "not valid JSON")]
    [InlineData("[]", "JSON object")]
    [InlineData("""{"u":"https://s.example/","d":"s.example"}""", "'name'")]
    [InlineData("""{"n":"pageview","d":"s.example"}""", "'url'")]
    [InlineData("""{"n":"pageview","u":"https://s.example/"}""", "'domain'")]
    [InlineData("""{"n":"pageview","u":"/relative","d":"s.example"}""", "absolute URL")]
    [InlineData("""{"n":"pageview","u":"https://s.example/","d":"s.example","p":[1]}""", "'props'")]
    [InlineData("""{"n":"pageview","u":"https://s.example/","d":"s.example","p":{"a":{"b":1}}}""", "Property 'a'")]
    [InlineData("""{"n":"x","u":"https://s.example/","d":"s.example","$":{"amount":"ten","currency":"EUR"}}""", "'revenue.amount'")]
    [InlineData("""{"n":"x","u":"https://s.example/","d":"s.example","$":{"amount":10,"currency":"EURO"}}""", "'revenue.currency'")]
    [InlineData("""{"n":"pageview","u":"https://s.example/","d":"s.example","timestamp":"yesterday"}""", "'timestamp'")]
    [InlineData("""{"n":"pageview","u":"https://s.example/","d":"s.example","timestamp":"99999999999999999"}""", "'timestamp'")]
    [InlineData("""{"n":"pageview","u":"https://s.example/","d":"s.example","timestamp":"9999999999999999999999"}""", "'timestamp'")]
    [InlineData("""{"n":"pageview","u":"https://s.example/","d":"s.example","timestamp":1e300}""", "'timestamp'")]
    [InlineData("""{"n":"pageview","u":"https://s.example/","d":"s.example","timestamp":"0001-01-01T00:00:00Z"}""", "from 1970 on")]
    [InlineData("""{"n":"pageview","u":"https://s.example/","d":"s.example","ip":"999.1.1.1"}""", "'ip'")]
    [InlineData("""{"n":"pageview","u":"https://s.example/","d":"s.example","r":"\ud800"}""", "not valid JSON text")]
    [InlineData("""{"n":"pageview","u":"https://s.example/","d":"s.example","h":"\udc00x"}""", "not valid JSON text")]
    [InlineData("""{"n":"pageview","u":"https://s.example/","d":"s.example","p":{"k":"\ud800"}}""", "not valid JSON text")]
    [InlineData("""{"n":"\ud800","u":"https://s.exam""", "not valid JSON")]
    [InlineData("""{"n":"engagement","u":"https://s.example/","d":"s.example","sd":140}""", "scroll_depth")]
    public void ReadPlausible_BadInput_RejectedNamingTheField(string json, string expected)
    {
        var result = Plausible(json);
        Assert.Null(result.Event);
        Assert.Equal(400, result.Rejection!.Status);
        Assert.Contains(expected, result.Rejection.Detail);
    }

    [Fact]
    public void ReadPlausible_Limits_NameUrlAndProps()
    {
        Assert.NotNull(Plausible($$"""{"n":"{{new string('a', 120)}}","u":"https://s.example/","d":"s.example"}""").Event);
        Assert.Contains("120", Plausible($$"""{"n":"{{new string('a', 121)}}","u":"https://s.example/","d":"s.example"}""").Rejection!.Detail);
        Assert.Contains("2000", Plausible($$"""{"n":"x","u":"https://s.example/{{new string('a', 2000)}}","d":"s.example"}""").Rejection!.Detail);
        var props = string.Join(',', Enumerable.Range(0, 31).Select(i => $"\"k{i}\":\"v\""));
        Assert.Contains("at most 30", Plausible("""{"n":"x","u":"https://s.example/","d":"s.example","p":{""" + props + "}}").Rejection!.Detail);
    }

    [Fact]
    public void ReadUmami_EventShape_MapsToSameFields()
    {
        var id = Guid.NewGuid();
        var json = """{"type":"event","payload":{"website":"ID","hostname":"shop.example","url":"/pricing?utm_source=vk","referrer":"https://vk.com/","screen":"1920x1080","language":"ru-RU","name":"Signup","data":{"plan":"pro"}}}""".Replace("ID", id.ToString());
        var e = EventPayloadReader.ReadUmami(Encoding.UTF8.GetBytes(json), website => website == id.ToString() ? "shop.example" : null).Event!;
        Assert.Equal("Signup", e.Name);
        Assert.Equal(["shop.example"], e.Domains);
        Assert.Equal("https://shop.example/pricing?utm_source=vk", e.Url.ToString());
        Assert.Equal(1920, e.ScreenWidth);
        Assert.Equal([new("plan", "pro")], e.Props);
    }

    [Fact]
    public void ReadUmami_NoName_IsPageview()
    {
        var json = """{"type":"event","payload":{"website":"shop.example","hostname":"shop.example","url":"/"}}""";
        Assert.Equal("pageview", EventPayloadReader.ReadUmami(Encoding.UTF8.GetBytes(json), _ => null).Event!.Name);
    }

    [Fact]
    public void ReadUmami_BadType_Rejected()
    {
        var result = EventPayloadReader.ReadUmami("""{"type":"other","payload":{}}"""u8, _ => null);
        Assert.Contains("'type'", result.Rejection!.Detail);
    }

    [Fact]
    public void ReadUmami_LoneSurrogateOrBytesNotUtf8_Rejected()
    {
        var surrogate = EventPayloadReader.ReadUmami("""{"type":"event","payload":{"website":"shop.example","url":"/","referrer":"\ud800"}}"""u8, _ => null);
        Assert.Equal(400, surrogate.Rejection!.Status);
        Assert.Contains("not valid JSON", surrogate.Rejection.Detail);
        var bytes = Encoding.UTF8.GetBytes("""{"type":"event","payload":{"website":"shop.example","url":"/","name":"AB"}}""");
        bytes[Array.IndexOf(bytes, (byte)'A')] = 0xff;
        Assert.Contains("not valid JSON", EventPayloadReader.ReadUmami(bytes, _ => null).Rejection!.Detail);
        var plausible = Encoding.UTF8.GetBytes("""{"n":"AB","u":"https://s.example/","d":"s.example"}""");
        plausible[Array.IndexOf(plausible, (byte)'A')] = 0xff;
        Assert.Contains("not valid JSON", EventPayloadReader.ReadPlausible(plausible).Rejection!.Detail);
    }
}
