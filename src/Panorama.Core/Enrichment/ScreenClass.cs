namespace Panorama.Core.Enrichment;

/// <summary>Screen size classes from the viewport width the tracker reports (Plausible's breakpoints).</summary>
public static class ScreenClass
{
    public static string FromWidth(int? width) => width switch
    {
        null or <= 0 => "",
        < 576 => "Mobile",
        < 992 => "Tablet",
        < 1440 => "Laptop",
        _ => "Desktop",
    };
}
