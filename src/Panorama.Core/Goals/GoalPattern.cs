using System.Text;
using System.Text.RegularExpressions;

namespace Panorama.Core.Goals;

/// <summary>Turns a page-path pattern into an anchored regular expression: <c>**</c> matches anything, <c>*</c> anything but '/'.</summary>
public static class GoalPattern
{
    public static string ToRegex(string pattern)
    {
        var regex = new StringBuilder();
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == '*')
            {
                if (i + 1 < pattern.Length && pattern[i + 1] == '*')
                {
                    regex.Append(".*");
                    i++;
                }
                else
                {
                    regex.Append("[^/]*");
                }
            }
            else
            {
                regex.Append(Regex.Escape(pattern[i].ToString()));
            }
        }
        return regex.ToString();
    }

    public static bool Matches(string pattern, string path) => Regex.IsMatch(path, "^" + ToRegex(pattern) + "$");
}
