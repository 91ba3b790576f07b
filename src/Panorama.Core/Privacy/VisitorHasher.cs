using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Panorama.Core.Privacy;

/// <summary>
/// Visitor id = the first 8 bytes of HMAC-SHA256(daily salt, site domain | client IP | User-Agent).
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
            Span<byte> mac = stackalloc byte[32];
            HMACSHA256.HashData(salt, rented.AsSpan(0, written), mac);
            // Keep ids positive as signed 64-bit so every store can hold them as BIGINT.
            return BitConverter.ToUInt64(mac) & long.MaxValue;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
