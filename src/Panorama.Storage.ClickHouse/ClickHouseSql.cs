using System.Globalization;
using System.Text;

namespace Panorama.Storage.ClickHouse;

/// <summary>
/// Values written into statements. 18.16 has no server-side query parameters, so every value goes through these
/// quoting functions (never string concatenation of raw input); identifiers only ever come from fixed catalogues.
/// </summary>
public static class ClickHouseSql
{
    public static string String(string value)
    {
        var text = new StringBuilder(value.Length + 2).Append('\'');
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\': text.Append(@"\\"); break;
                case '\'': text.Append(@"\'"); break;
                case '\n': text.Append(@"\n"); break;
                case '\r': text.Append(@"\r"); break;
                case '\t': text.Append(@"\t"); break;
                case '\0': text.Append(@"\0"); break;
                default: text.Append(c); break;
            }
        }
        return text.Append('\'').ToString();
    }

    public static string Integer(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A UTC moment as microseconds since the epoch, the unit of <c>ts_us</c>.</summary>
    public static long Micros(System.DateTime utc) => (utc.Ticks - System.DateTime.UnixEpoch.Ticks) / 10;

    public static string DateTime(System.DateTime utc) => $"toDateTime({String(utc.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture))}, 'UTC')";
}
