using System.Globalization;
using System.Text;

namespace ObjectStorage;

/// <summary>
/// The one key validator every store uses. A key is any string of 1 to 1024 bytes of UTF-8 that
/// is valid Unicode (no unpaired surrogate) and holds no U+0000: what S3 allows. Nothing else is
/// refused: "a//b", "/lead", "trail/", ".", "..", "a/./b", backslashes, spaces, control and
/// invisible characters are keys, and every store gives them back byte-identical. A medium that
/// cannot hold a key as it is maps it reversibly (see <c>KeyPathMapping</c> for file trees and
/// zip archives), and a medium that truly cannot hold one refuses it with
/// <see cref="InvalidKeyException"/> naming its limit.
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
    /// prefix: empty, or the start of some valid key.
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
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c < 0x80)
            {
                if (c == 0) return $"a key must not contain U+0000 (found at index {i})";
                bytes++;
            }
            else if (c < 0x800) bytes += 2;
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
        return bytes > MaxBytes ? $"a key must be at most {MaxBytes} bytes of UTF-8 (this one is {bytes})" : null;
    }

    /// <summary>The key quoted for a message, with control and invisible characters escaped and long keys shortened.</summary>
    public static string Describe(string key)
    {
        var sb = new StringBuilder(Math.Min(key.Length, 200) + 2).Append('"');
        for (int i = 0; i < key.Length; i++)
        {
            if (i >= 160) { sb.Append("…(").Append(key.Length).Append(" chars)"); break; }
            char c = key[i];
            if (c == '"' || NeedsEscape(key, i)) sb.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            else sb.Append(c);
        }
        return sb.Append('"').ToString();
    }

    /// <summary>
    /// The key as a terminal should show it: unchanged when it prints as itself, otherwise in double
    /// quotes with C-style escapes (<c>\n</c>, <c>\e</c>, <c>\u202E</c>, <c>\"</c>, <c>\\</c>), as GNU
    /// <c>ls</c> quotes file names, so that no key can forge a line or drive the terminal.
    /// </summary>
    public static string Quote(string key)
    {
        if (!MustQuote(key)) return key;
        var sb = new StringBuilder(key.Length + 8).Append('"');
        for (int i = 0; i < key.Length; i++)
        {
            char c = key[i];
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\u001B': sb.Append("\\e"); break;
                default:
                    if (NeedsEscape(key, i)) sb.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
                    else sb.Append(c);
                    break;
            }
        }
        return sb.Append('"').ToString();
    }

    // A quoted key starts with '"', so a key that starts with one is quoted too: the two never look alike.
    private static bool MustQuote(string key)
    {
        if (key.Length > 0 && key[0] == '"') return true;
        for (int i = 0; i < key.Length; i++)
            if (NeedsEscape(key, i)) return true;
        return false;
    }

    // Controls (C0, DEL, C1), format characters (bidi overrides, zero-width ones, BOM), line and
    // paragraph separators, and unpaired surrogates. Either half of a pair prints (as its character).
    private static bool NeedsEscape(string text, int i)
    {
        char c = text[i];
        if (c < 0x80) return c < 0x20 || c == 0x7F;
        if (char.IsHighSurrogate(c)) return i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]);
        if (char.IsLowSurrogate(c)) return i == 0 || !char.IsHighSurrogate(text[i - 1]);
        return char.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.Format
            or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;
    }

    /// <summary>Number of UTF-8 bytes a valid key takes.</summary>
    public static int Utf8Length(string key) => Encoding.UTF8.GetByteCount(key);
}
