namespace Panorama.Core.Enrichment;

/// <summary>Desktop, Mobile or Tablet from uap-core's device family and OS, which name hardware but not its kind.</summary>
public static class DeviceType
{
    public const string Desktop = "Desktop";
    public const string Mobile = "Mobile";
    public const string Tablet = "Tablet";

    static readonly string[] DesktopSystems = ["Windows", "Mac OS X", "Linux", "Ubuntu", "Fedora", "Debian", "Chrome OS", "FreeBSD", "OpenBSD", "macOS"];

    public static string Classify(string? deviceFamily, string? os, string userAgent)
    {
        var family = deviceFamily ?? "";
        if (family.Contains("iPad", StringComparison.Ordinal) || family.Contains("Tablet", StringComparison.OrdinalIgnoreCase)
            || family.Contains("Kindle", StringComparison.Ordinal) || userAgent.Contains("Tablet", StringComparison.OrdinalIgnoreCase))
            return Tablet;
        if (os == "Android" && !userAgent.Contains("Mobile", StringComparison.Ordinal)) return Tablet;
        if (os is "iOS" or "Android" or "Windows Phone" or "BlackBerry OS" or "KaiOS" or "HarmonyOS"
            || family is "iPhone" or "iPod" or "Generic Smartphone" || userAgent.Contains("Mobi", StringComparison.Ordinal))
            return Mobile;
        if (os is not null && DesktopSystems.Any(d => os.StartsWith(d, StringComparison.Ordinal))) return Desktop;
        return UserAgentInfo.Unknown;
    }
}
