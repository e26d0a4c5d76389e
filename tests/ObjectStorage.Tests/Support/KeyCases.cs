namespace ObjectStorage.Tests.Support;

/// <summary>Keys every store must reject, each with the rule it breaks, and keys every store must hold.</summary>
public static class KeyCases
{
    public static readonly (string Key, string Rule)[] Invalid =
    [
        ("", "empty"),
        ("/a", "start with '/'"),
        ("a/", "end with '/'"),
        ("a//b", "empty segment"),
        (".", "'.' segment"),
        ("a/./b", "'.' segment"),
        ("..", "'..' segment"),
        ("../x", "'..' segment"),
        ("a/../../etc/passwd", "'..' segment"),
        ("a\\b", "backslash"),
        ("..\\x", "backslash"),
        ("a\0b", "control"),
        ("a\nb", "control"),
        ("tab\there", "control"),
        ("del\u007F", "control"),
        ("c1\u0085", "control"),
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
}
