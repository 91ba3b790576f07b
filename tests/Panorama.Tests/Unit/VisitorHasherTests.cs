using Panorama.Core.Privacy;

namespace Panorama.Tests.Unit;

public class VisitorHasherTests
{
    static readonly byte[] SaltA = Enumerable.Range(0, 16).Select(i => (byte)i).ToArray();
    static readonly byte[] SaltB = Enumerable.Range(1, 16).Select(i => (byte)i).ToArray();

    [Fact]
    public void Hash_SameInputs_SameId()
    {
        Assert.Equal(
            VisitorHasher.Hash(SaltA, "shop.example", "203.0.113.7", "UA"),
            VisitorHasher.Hash(SaltA, "shop.example", "203.0.113.7", "UA"));
    }

    [Fact]
    public void Hash_AnyInputDiffers_DifferentId()
    {
        var id = VisitorHasher.Hash(SaltA, "shop.example", "203.0.113.7", "UA");
        Assert.NotEqual(id, VisitorHasher.Hash(SaltB, "shop.example", "203.0.113.7", "UA"));
        Assert.NotEqual(id, VisitorHasher.Hash(SaltA, "blog.example", "203.0.113.7", "UA"));
        Assert.NotEqual(id, VisitorHasher.Hash(SaltA, "shop.example", "203.0.113.8", "UA"));
        Assert.NotEqual(id, VisitorHasher.Hash(SaltA, "shop.example", "203.0.113.7", "UB"));
    }

    [Fact]
    public void Hash_FieldBoundariesShift_DifferentId()
    {
        // "a" + "bc" must not collide with "ab" + "c".
        Assert.NotEqual(VisitorHasher.Hash(SaltA, "a", "bc", "d"), VisitorHasher.Hash(SaltA, "ab", "c", "d"));
    }

    [Fact]
    public void Hash_Always_FitsSignedBigint()
    {
        for (var i = 0; i < 1000; i++)
            Assert.True(VisitorHasher.Hash(SaltA, "s", $"10.0.{i / 256}.{i % 256}", "UA") <= long.MaxValue);
    }
}
