using Panorama.Tests.Support;

namespace Panorama.Tests.Unit;

public class GeoLocatorTests
{
    [Theory]
    [InlineData("77.88.55.88", "RU")]
    [InlineData("8.8.8.8", "US")]
    [InlineData("2a02:6b8::2:242", "RU")]
    public void Locate_PublicAddress_Country(string ip, string country) => Assert.Equal(country, Enrichment.Data.Geo.Locate(ip).Country);

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("10.1.2.3")]
    [InlineData("not an ip")]
    public void Locate_PrivateOrInvalid_Unknown(string ip) => Assert.Equal("", Enrichment.Data.Geo.Locate(ip).Country);
}
