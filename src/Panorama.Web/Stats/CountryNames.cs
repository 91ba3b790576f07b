using System.Globalization;

namespace Panorama.Web.Stats;

/// <summary>English country names from ISO codes, as .NET's region data knows them.</summary>
public static class CountryNames
{
    public static string Of(string isoCode)
    {
        if (string.IsNullOrEmpty(isoCode)) return "";
        try
        {
            return new RegionInfo(isoCode).EnglishName;
        }
        catch (ArgumentException)
        {
            return isoCode;
        }
    }
}
