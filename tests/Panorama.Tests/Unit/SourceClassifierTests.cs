using Panorama.Core.Enrichment;
using Panorama.Tests.Support;

namespace Panorama.Tests.Unit;

public class SourceClassifierTests
{
    static TrafficSource Classify(string page, string? referrer = null) =>
        Enrichment.Data.Sources.Classify(new Uri(page), referrer is null ? null : new Uri(referrer));

    [Theory]
    [InlineData("https://www.google.com/", "Google", Channel.OrganicSearch)]
    [InlineData("https://yandex.ru/search/?text=boots", "Yandex", Channel.OrganicSearch)]
    [InlineData("https://ya.ru/", "Yandex", Channel.OrganicSearch)]
    [InlineData("https://go.mail.ru/search?q=x", "Mail.ru", Channel.OrganicSearch)]
    [InlineData("https://nova.rambler.ru/search", "Rambler", Channel.OrganicSearch)]
    [InlineData("https://duckduckgo.com/", "DuckDuckGo", Channel.OrganicSearch)]
    [InlineData("https://www.bing.com/search?q=x", "Bing", Channel.OrganicSearch)]
    [InlineData("https://vk.com/wall-1_2", "VK", Channel.OrganicSocial)]
    [InlineData("https://m.vk.com/", "VK", Channel.OrganicSocial)]
    [InlineData("https://ok.ru/group/1", "Odnoklassniki", Channel.OrganicSocial)]
    [InlineData("https://t.me/channel/12", "Telegram", Channel.OrganicSocial)]
    [InlineData("https://web.telegram.org/k/", "Telegram", Channel.OrganicSocial)]
    [InlineData("https://dzen.ru/a/abc", "Dzen", Channel.OrganicSocial)]
    [InlineData("https://l.facebook.com/l.php", "Facebook", Channel.OrganicSocial)]
    [InlineData("https://t.co/xyz", "X", Channel.OrganicSocial)]
    [InlineData("https://www.youtube.com/watch?v=1", "YouTube", Channel.OrganicVideo)]
    [InlineData("https://chatgpt.com/", "ChatGPT", Channel.AiAssistants)]
    [InlineData("https://www.perplexity.ai/search/x", "Perplexity", Channel.AiAssistants)]
    [InlineData("https://gemini.google.com/app", "Gemini", Channel.AiAssistants)]
    [InlineData("https://claude.ai/chat/1", "Claude", Channel.AiAssistants)]
    [InlineData("https://habr.com/ru/articles/1/", "habr.com", Channel.Referral)]
    public void Classify_KnownReferrer_SourceAndChannel(string referrer, string source, string channel)
    {
        var result = Classify("https://shop.example/", referrer);
        Assert.Equal(source, result.Source);
        Assert.Equal(channel, result.Channel);
    }

    [Fact]
    public void Classify_NoReferrerNoTags_Direct()
    {
        var result = Classify("https://shop.example/pricing");
        Assert.Equal(TrafficSource.DirectSource, result.Source);
        Assert.Equal(Channel.Direct, result.Channel);
        Assert.Equal("", result.Referrer);
    }

    [Fact]
    public void Classify_SelfReferral_Direct()
    {
        var result = Classify("https://shop.example/cart", "https://www.shop.example/catalog");
        Assert.Equal(Channel.Direct, result.Channel);
        Assert.Equal("", result.Referrer);
    }

    [Fact]
    public void Classify_Referrer_KeepsHostAndPathWithoutQuery()
    {
        Assert.Equal("habr.com/ru/articles/1/", Classify("https://shop.example/", "https://habr.com/ru/articles/1/?utm=x").Referrer);
    }

    [Theory]
    [InlineData("?utm_source=yandex&utm_medium=cpc&utm_campaign=sale", "Yandex", Channel.PaidSearch)]
    [InlineData("?yclid=123", "Yandex", Channel.PaidSearch)]
    [InlineData("?gclid=abc", "Google", Channel.PaidSearch)]
    [InlineData("?msclkid=abc", "Bing", Channel.PaidSearch)]
    [InlineData("?utm_source=vk&utm_medium=paid_social", "VK", Channel.PaidSocial)]
    [InlineData("?utm_source=facebook&utm_medium=cpc", "Facebook", Channel.PaidSocial)]
    [InlineData("?fbclid=abc", "Facebook", Channel.OrganicSocial)]
    [InlineData("?utm_source=newsletter&utm_medium=email", "newsletter", Channel.Email)]
    [InlineData("?utm_source=partner&utm_medium=affiliate", "partner", Channel.Affiliates)]
    [InlineData("?utm_source=network&utm_medium=display", "network", Channel.Display)]
    [InlineData("?utm_source=telegram&utm_medium=social", "Telegram", Channel.OrganicSocial)]
    [InlineData("?utm_source=chatgpt.com", "ChatGPT", Channel.AiAssistants)]
    [InlineData("?utm_source=something", "something", Channel.Unassigned)]
    [InlineData("?ref=producthunt.com", "producthunt.com", Channel.Unassigned)]
    public void Classify_TagsAndClickIds_SourceAndChannel(string query, string source, string channel)
    {
        var result = Classify("https://shop.example/landing" + query);
        Assert.Equal(source, result.Source);
        Assert.Equal(channel, result.Channel);
    }

    [Fact]
    public void Classify_Utm_AllFiveTagsKeptDecoded()
    {
        var result = Classify("https://shop.example/?utm_source=ya&utm_medium=cpc&utm_campaign=%D0%BE%D1%81%D0%B5%D0%BD%D1%8C&utm_content=banner+1&utm_term=boots");
        Assert.Equal(("ya", "cpc", "осень", "banner 1", "boots"), (result.UtmSource, result.UtmMedium, result.UtmCampaign, result.UtmContent, result.UtmTerm));
    }

    [Theory]
    [InlineData("semalt.com", true)]
    [InlineData("www.darodar.com", true)]
    [InlineData("sub.buttons-for-website.com", true)]
    [InlineData("google.com", false)]
    [InlineData("", false)]
    public void IsSpam_ListedHostOrSubdomain(string host, bool spam) => Assert.Equal(spam, Enrichment.Data.Sources.IsSpam(host));
}
