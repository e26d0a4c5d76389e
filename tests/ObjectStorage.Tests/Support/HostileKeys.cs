using System.Text;

namespace ObjectStorage.Tests.Support;

/// <summary>
/// Keys meant to break stores: traversal in every spelling, absolute and drive paths, Windows
/// reserved names, every control character, bidi controls, lone surrogates, normalisation twins,
/// S3 folder markers, keys of exactly and just over the size limit, and names that look like
/// temporary, escaped or bookkeeping files. Every store holds each valid key exactly and refuses
/// each invalid one with an InvalidKeyException; no two valid keys here nest (neither is a
/// path-ancestor of the other), so a file tree can hold them all at once.
/// </summary>
public static class HostileKeys
{
    public static IReadOnlyList<string> All { get; } = Build();

    private static List<string> Build()
    {
        var keys = new List<string>
        {
            // Traversal.
            "../x", "./x", "x/..", "x/.", "t1/../../etc/passwd", "t2/./y", "..\\x", "t3\\..\\..\\x",
            "....//x", ".../x3", "t4/...", "%2e%2e/x4", "%2e%2e%2fx5", "..%2fx6", "..%5cx7", "%252e%252e/x8",
            "..%c0%afx9", "\u2025/x10", "\uFF0E\uFF0E/x11", "\u2024\u2024/x12", "t5/..;/x", "..;", "t6/ ../x", "t7/.. /x",
            // Absolute, UNC, drive letters, URLs.
            "/etc/passwd", "//server/share", "\\\\server\\share", "C:\\x", "C:/x13", "c:x14", "D:", "\\x15",
            "file:///etc/passwd", "file:x16", "~/x17", "~root", "$HOME/x18", "%TEMP%/x19",
            // Windows reserved names and trailing dots and spaces.
            "CON", "PRN", "AUX", "NUL", "COM1", "LPT1", "con.txt", "w1/NUL/b", "w2/aux.c", "CONIN$", "trail.", "trail ", " lead", "w3/dot.", "w4/space ",
            // Lone and reversed surrogates.
            "\uD800", "s1\uDBFFx", "\uDC00s2", "s3\uDFFF", "\uDC00\uD800", "s4\uD83D",
            // Normalisation twins: distinct keys that look alike.
            "n/\u00E9", "n/e\u0301", "n/\u00C5", "n/\u212B", "n/A\u030A", "n/\uFB01", "n/fi", "n/\u0130", "n/I\u0307",
            // Over the size limit by a little.
            new string('x', 1025), string.Concat(Enumerable.Repeat("\u20AC", 342)), string.Concat(Enumerable.Repeat("\U0001F600", 257)),
            "big/" + new string('y', 1021),
            // Names that look like temporary files and bookkeeping.
            ".tmp", "b1/x.tmp", "b2/.x.tmp", "b3/~$lock", ".objstore", ".DS_Store", "Thumbs.db", "desktop.ini", "objects.db-wal",
            "objects.db-journal", "b4/.key", "b5/x.key", "b6/.lock", "__MACOSX/x", ".git/config", "b7/.partial", "b8/#x#",
            "b9/x~", "b10/.nfs0001",
            "ab/cd/ef/0123456789abcdef0123456789abcdef0123456789abcdef0123456789",
            // Spaces, separators and odd characters.
            " ", "sp ace", "q'uote", "d\"quote", "semi;colon", "pipe|x", "star*", "quest?", "lt<gt>", "colon:x", "amp&x", "eq=x",
            "hash#x", "percent%", "plus+x", "comma,x", "back`tick", "u/\u200B", "u/\uFEFF", "u/\u00A0", "u/\u2028", "u/\uFFFD",
        };
        keys.AddRange([
            // S3 folder markers, empty segments, terminal escapes, bidi overrides, escape look-alikes, the largest keys.
            "m/photos/", "m//m2", "m3///", "/lead2", "esc\u001B]0;title\u0007", "esc2/\u001B[2J", "bidi\u202Eexe.txt", "bidi2/\u2067x",
            "nl\nfake entry", "%", "%..", "%%25", "p/%", "\\tmp-0-0", KeyCases.LongKey('h'), KeyCases.LongKey('ß'),
        ]);
        for (int c = 0; c < 0x20; c++) keys.Add($"ctl{c:X2}/a{(char)c}b");
        keys.Add("ctl7F/a\u007Fb");
        for (int c = 0x80; c < 0xA0; c++) keys.Add($"ctl{c:X2}/a{(char)c}b");
        return keys;
    }

    /// <summary>Whether the core's rules accept the key.</summary>
    public static bool IsValid(string key) => ObjectKey.IsValid(key);

    /// <summary>Distinct content for the i-th key, so a swapped key is noticed.</summary>
    public static byte[] ContentOf(int index, string key) => Encoding.UTF8.GetBytes($"{index}:{key.Length}");
}
