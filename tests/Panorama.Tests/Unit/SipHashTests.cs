using Panorama.Core.Privacy;

namespace Panorama.Tests.Unit;

public class SipHashTests
{
    static readonly byte[] Key = Enumerable.Range(0, 16).Select(i => (byte)i).ToArray();

    // The reference vectors of the SipHash paper and its reference implementation (key 00..0f, input 00..len-1).
    [Theory]
    [InlineData(0, 0x726fdb47dd0e0e31UL)]
    [InlineData(15, 0xa129ca6149be45e5UL)]
    public void Hash_ReferenceVectors(int length, ulong expected)
    {
        var input = Enumerable.Range(0, length).Select(i => (byte)i).ToArray();
        Assert.Equal(expected, SipHash.Hash(Key, input));
    }

    [Fact]
    public void Hash_KeyNot16Bytes_Throws() => Assert.Throws<ArgumentException>(() => SipHash.Hash(new byte[32], [1]));
}
