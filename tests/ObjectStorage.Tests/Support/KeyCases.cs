using System.Text;

namespace ObjectStorage.Tests.Support;

/// <summary>Keys the core refuses, with the rule each breaks, and valid keys that trip up paths, URLs, SQL and terminals.</summary>
public static class KeyCases
{
    public static readonly (string Key, string Rule)[] Invalid =
    [
        ("", "empty"),
        ("a\0b", "U+0000"),
        ("\0", "U+0000"),
        ("lone\uD800", "surrogate"),
        ("\uDC00lone", "surrogate"),
        (new string('x', 1025), "at most 1024 bytes"),
        (string.Concat(Enumerable.Repeat("€", 342)), "at most 1024 bytes"),
    ];

    public static TheoryData<string> InvalidKeys()
    {
        var data = new TheoryData<string>();
        foreach (var (key, _) in Invalid) data.Add(key);
        return data;
    }

    /// <summary>Valid keys with characters that trip up paths, URLs and SQL.</summary>
    public static readonly string[] Awkward =
    [
        "unicode/Grüße/日本語/файл",
        "emoji/😀🎉",
        "spaces/with some spaces .txt",
        "percent/100%25 %2F done",
        "plus/a+b=c",
        "quotes/it's \"quoted\"",
        "hash/#anchor?query=1&x",
        "brackets/[a]{b}(c)<d>",
        "dots/.hidden/..double/...triple",
        "tilde/~user/$HOME/*glob?",
        "colon/C:relative:name",
        "private-use/\uE000\uFFFD",
        "long/" + new string('n', 240),
    ];

    /// <summary>
    /// Keys real data has that a clean relative path cannot be: S3 folder markers, empty, '.' and
    /// '..' segments, leading slashes, URLs, backslashes, controls, bidi overrides, names that look
    /// escaped or temporary. No key here is a path-ancestor of another ("x" and "x/y"), so a file
    /// tree can hold them all at once.
    /// </summary>
    public static readonly string[] RoundTrip =
    [
        "photos/", "photos/2026/", "photos/2026/a.jpg", "a//b", "a///", "/lead", "//server/share", "//", "trail/",
        ".", "..", "...", "a/./b", "a/../b", "u/../up", "h/./here", "d/..", "d/.",
        "http://example.org/img/1.png", "https://example.org/a?b=c#d", "info:fedora/demo:1 with space",
        "back\\slash.txt", "C:\\Windows\\x", "\\\\unc\\share",
        "ctl/new\nline", "ctl/cr\rret", "ctl/tab\tbed", "ctl/esc\u001B[31mred", "ctl/bell\u0007", "ctl/del\u007F", "ctl/c1\u0085\u009B",
        "bidi/\u202Egnp.exe", "bidi/\u2066iso\u2069", "zw/\u200B\u200D\uFEFF", "sep/\u2028\u2029",
        "%", "%%", "%25", "%.", "%..", "%%25", "%20 report.pdf", "esc/%/%", "\\tmp-lookalike", "tmp/\\tmp-1-2",
        " ", "sp/ lead", "sp/trail ", "emoji/😀", "nfc/\u00E9", "nfd/e\u0301",
        LongKey('k'), LongKey('é'),
    ];

    // 1024 bytes of UTF-8 in segments a file system can hold (at most 200 bytes a name).
    public static string LongKey(char c)
    {
        var key = new StringBuilder("long/");
        while (Encoding.UTF8.GetByteCount(key.ToString()) < ObjectKey.MaxBytes) key.Append(key.Length % 101 == 0 ? '/' : c);
        while (Encoding.UTF8.GetByteCount(key.ToString()) > ObjectKey.MaxBytes) key.Length--;
        while (Encoding.UTF8.GetByteCount(key.ToString()) < ObjectKey.MaxBytes) key.Append('x');
        return key.ToString();
    }
}
