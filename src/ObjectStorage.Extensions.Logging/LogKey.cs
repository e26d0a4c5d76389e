using System.Globalization;
using System.Text;

namespace ObjectStorage;

/// <summary>A key made safe for a log line: quotes, backslashes and characters that break or hide lines are escaped.</summary>
internal static class LogKey
{
    public static string Escape(string key)
    {
        int first = 0;
        while (first < key.Length && IsPlain(key[first])) first++;
        if (first == key.Length) return key;

        var escaped = new StringBuilder(key.Length + 8).Append(key, 0, first);
        foreach (char c in key.AsSpan(first))
        {
            if (IsPlain(c)) escaped.Append(c);
            else if (c is '"' or '\\') escaped.Append('\\').Append(c);
            else escaped.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
        }
        return escaped.ToString();
    }

    private static bool IsPlain(char c) => c is not ('"' or '\\') && CharUnicodeInfo.GetUnicodeCategory(c) switch
    {
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator
            or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate or UnicodeCategory.OtherNotAssigned => false,
        _ => true,
    };
}
