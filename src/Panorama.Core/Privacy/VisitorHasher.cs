using System.Buffers;
using System.Text;

namespace Panorama.Core.Privacy;

/// <summary>
/// Visitor id = SipHash-2-4(daily salt, site domain | client IP | User-Agent), as Plausible computes it.
/// The inputs are never stored; without the salt the id cannot be linked back to them.
/// </summary>
public static class VisitorHasher
{
    public static ulong Hash(ReadOnlySpan<byte> salt, string siteDomain, string clientIp, string userAgent)
    {
        var length = siteDomain.Length + clientIp.Length + userAgent.Length + 2;
        var rented = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(length));
        try
        {
            var written = Encoding.UTF8.GetBytes(siteDomain, rented);
            rented[written++] = 0;
            written += Encoding.UTF8.GetBytes(clientIp, rented.AsSpan(written));
            rented[written++] = 0;
            written += Encoding.UTF8.GetBytes(userAgent, rented.AsSpan(written));
            // Keep ids positive as signed 64-bit so every store can hold them as BIGINT.
            return SipHash.Hash(salt, rented.AsSpan(0, written)) & long.MaxValue;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
