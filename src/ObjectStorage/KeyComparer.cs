namespace ObjectStorage;

/// <summary>
/// The order of keys every listing yields: by their UTF-8 bytes, as S3 and SQLite's BINARY
/// collation order them. It equals <see cref="string.CompareOrdinal(string, string)"/> except
/// where a surrogate pair (a character above U+FFFF) meets a character in U+E000..U+FFFF: UTF-16
/// puts the pair first, UTF-8 puts it last.
/// </summary>
public sealed class KeyComparer : IComparer<string>, IEqualityComparer<string>
{
    /// <summary>The one instance.</summary>
    public static KeyComparer Utf8 { get; } = new();

    private KeyComparer() { }

    /// <summary>Compares two keys by their UTF-8 bytes; null sorts first.</summary>
    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x is null) return -1;
        if (y is null) return 1;
        return Compare(x.AsSpan(), y.AsSpan());
    }

    /// <summary>Compares two keys by their UTF-8 bytes.</summary>
    public static int Compare(ReadOnlySpan<char> x, ReadOnlySpan<char> y)
    {
        int common = x.CommonPrefixLength(y);
        if (common == x.Length || common == y.Length) return x.Length - y.Length;
        return Rank(x[common]) - Rank(y[common]);
    }

    // Moves surrogates (D800..DFFF) above E000..FFFF, which is where UTF-8 puts the characters they encode.
    private static int Rank(char c) => c < 0xD800 ? c : c >= 0xE000 ? c - 0x800 : c + 0x2000;

    /// <summary>True when the keys are the same characters (ordinal equality).</summary>
    public bool Equals(string? x, string? y) => string.Equals(x, y, StringComparison.Ordinal);

    /// <summary>An ordinal hash code, consistent with <see cref="Equals(string, string)"/>.</summary>
    public int GetHashCode(string obj) => StringComparer.Ordinal.GetHashCode(obj);
}
