using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace Panorama.Web.Tracker;

/// <summary>The tracker, compacted once at start-up (indentation and the header comment removed) and pre-gzipped.</summary>
public sealed class TrackerScript
{
    public byte[] Plain { get; }
    public byte[] Gzipped { get; }
    public string ETag { get; }

    public TrackerScript()
    {
        using var stream = typeof(TrackerScript).Assembly.GetManifestResourceStream("Panorama.Web.Tracker.script.js")
            ?? throw new InvalidOperationException("The tracker script is not embedded.");
        using var reader = new StreamReader(stream);
        var lines = reader.ReadToEnd().Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith("/*", StringComparison.Ordinal) && !line.StartsWith("//", StringComparison.Ordinal));
        Plain = Encoding.UTF8.GetBytes(string.Join('\n', lines));
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.SmallestSize)) gzip.Write(Plain);
        Gzipped = buffer.ToArray();
        ETag = "\"" + Convert.ToHexStringLower(SHA256.HashData(Plain))[..16] + "\"";
    }
}
