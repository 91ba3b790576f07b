using System.Globalization;

namespace Panorama.Web.Pages.Sites;

/// <summary>A small line of a series for a table cell: SVG polyline points in a <see cref="Width"/> × <see cref="Height"/> box.</summary>
public static class Sparkline
{
    public const int Width = 120, Height = 28;
    const double Margin = 1.5;

    /// <summary>The highest value touches the top, zero the bottom (a line of zeros lies on it); one value is a flat line.</summary>
    public static string Points(IReadOnlyList<long> values)
    {
        if (values.Count == 0) return "";
        if (values.Count == 1) values = [values[0], values[0]];
        var top = Math.Max(1, values.Max());
        return string.Join(' ', values.Select((value, i) => string.Create(CultureInfo.InvariantCulture,
            $"{i * (double)Width / (values.Count - 1):0.#},{Height - Margin - value * (Height - 2 * Margin) / top:0.#}")));
    }
}
