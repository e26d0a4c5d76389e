using System.Text;

namespace ObjectStorage;

/// <summary>
/// The one key validator every store uses. A key is 1 to 1024 bytes of UTF-8, made of
/// '/'-separated segments, none of them empty, "." or "..", with no control character, no
/// backslash and no unpaired surrogate. A key that passes can become a relative path or a zip
/// entry name on any medium without leaving the store.
/// </summary>
public static class ObjectKey
{
    /// <summary>The largest key, in UTF-8 bytes.</summary>
    public const int MaxBytes = 1024;

    /// <summary>Throws <see cref="InvalidKeyException"/> naming the broken rule unless <paramref name="key"/> is a valid key.</summary>
    public static void Validate(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var rule = FindBrokenRule(key, isPrefix: false);
        if (rule is not null) throw new InvalidKeyException(key, rule);
    }

    /// <summary>
    /// Throws <see cref="InvalidKeyException"/> unless <paramref name="prefix"/> is a valid listing
    /// prefix: empty, or the start of some valid key (it may end inside a segment or with '/').
    /// </summary>
    public static void ValidatePrefix(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var rule = FindBrokenRule(prefix, isPrefix: true);
        if (rule is not null) throw new InvalidKeyException(prefix, rule, "prefix");
    }

    /// <summary>True when <paramref name="key"/> is a valid key.</summary>
    public static bool IsValid(string? key) => key is not null && FindBrokenRule(key, isPrefix: false) is null;

    /// <summary>
    /// Returns the rule <paramref name="text"/> breaks as a key (or, with <paramref name="isPrefix"/>,
    /// as a listing prefix), or null when it breaks none.
    /// </summary>
    public static string? FindBrokenRule(string text, bool isPrefix)
    {
        if (text.Length == 0) return isPrefix ? null : "a key must not be empty";
        int bytes = 0;
        int segmentStart = 0;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c < 0x80)
            {
                bytes++;
                if (c == '/')
                {
                    var broken = CheckSegment(text, segmentStart, i);
                    if (broken is not null) return broken;
                    segmentStart = i + 1;
                }
                else if (c == '\\') return "a key must not contain a backslash ('\\'); use '/' to separate segments";
                else if (c < 0x20 || c == 0x7F) return $"a key must not contain control characters (found U+{(int)c:X4} at index {i})";
            }
            else if (c < 0x800)
            {
                if (c <= 0x9F) return $"a key must not contain control characters (found U+{(int)c:X4} at index {i})";
                bytes += 2;
            }
            else if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
                    return $"a key must be valid Unicode (unpaired surrogate U+{(int)c:X4} at index {i})";
                bytes += 4;
                i++;
            }
            else if (char.IsLowSurrogate(c)) return $"a key must be valid Unicode (unpaired surrogate U+{(int)c:X4} at index {i})";
            else bytes += 3;
        }
        if (bytes > MaxBytes) return $"a key must be at most {MaxBytes} bytes of UTF-8 (this one is {bytes})";
        if (segmentStart == text.Length)
            return isPrefix ? null : "a key must not end with '/'";
        // The last segment of a prefix may be the start of a longer one ("." of ".config").
        return isPrefix ? null : CheckSegment(text, segmentStart, text.Length);
    }

    private static string? CheckSegment(string text, int start, int end) => (end - start) switch
    {
        0 => start == 0
            ? "a key must not start with '/'"
            : "a key must not contain an empty segment ('//') or end with '/'",
        1 when text[start] == '.' => "a key must not contain a '.' segment",
        2 when text[start] == '.' && text[start + 1] == '.' => "a key must not contain a '..' segment",
        _ => null,
    };

    /// <summary>The key quoted for a message, with control and invisible characters escaped and long keys shortened.</summary>
    public static string Describe(string key)
    {
        var sb = new StringBuilder(Math.Min(key.Length, 200) + 2).Append('"');
        int shown = 0;
        foreach (char c in key)
        {
            if (++shown > 160) { sb.Append("…(").Append(key.Length).Append(" chars)"); break; }
            if (char.IsControl(c) || char.IsSurrogate(c) || c == '"') sb.Append($"\\u{(int)c:X4}");
            else sb.Append(c);
        }
        return sb.Append('"').ToString();
    }

    /// <summary>Number of UTF-8 bytes a valid key takes.</summary>
    public static int Utf8Length(string key) => Encoding.UTF8.GetByteCount(key);
}
