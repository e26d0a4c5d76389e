using System.Text;

namespace ObjectStorage;

/// <summary>
/// The reversible mapping between keys and relative paths that <see cref="FilesystemStore"/> and
/// <see cref="ZipStore"/> share. A key's '/'-separated segments become the path's names, each as
/// it is, except the segments that cannot be a file name or would be mistaken for something else:
/// the empty segment ("a//b", "/lead", "trail/"), ".", "..", a name of the stores' temporary files
/// (starting with <c>\tmp-</c>), and a segment that already reads as an escaped one. Those become
/// <c>%</c> followed by the segment with each <c>%</c> written <c>%25</c>: "" is <c>%</c>, ".." is
/// <c>%..</c>, "%" is <c>%%25</c>. Every other name, a plain "%20 report.pdf" included, means
/// itself, so ordinary keys are the plain paths a person expects, every name maps to exactly one
/// segment and back, and no key can make a path outside the root. See docs/stores/filesystem.md.
/// </summary>
public static class KeyPathMapping
{
    /// <summary>The first character of an escaped name.</summary>
    public const char Escape = '%';

    /// <summary>The start of the names of the disk stores' temporary files, which no segment is written as.</summary>
    public const string TemporaryPrefix = "\\tmp-";

    private const string EscapedEscape = "%25";

    /// <summary>The relative path (names joined by '/') that holds <paramref name="key"/>; the key itself when no segment needs escaping.</summary>
    public static string ToRelativePath(string key)
    {
        if (!AnySegmentNeedsEscape(key)) return key;
        return string.Join('/', key.Split('/').Select(ToName));
    }

    /// <summary>The key a relative path (names joined by '/') holds: the inverse of <see cref="ToRelativePath"/>.</summary>
    public static string ToKey(string relativePath)
    {
        if (relativePath.IndexOf(Escape) < 0) return relativePath;
        return string.Join('/', relativePath.Split('/').Select(ToSegment));
    }

    /// <summary>The file name that holds one key segment.</summary>
    public static string ToName(string segment) =>
        NeedsEscape(segment) ? Escape + segment.Replace("%", EscapedEscape, StringComparison.Ordinal) : segment;

    /// <summary>The key segment a file name holds: the inverse of <see cref="ToName"/>.</summary>
    public static string ToSegment(string name) => TryUnescape(name, out var segment) ? segment : name;

    /// <summary>True for the names of the disk stores' temporary files, which hold no key.</summary>
    public static bool IsTemporary(ReadOnlySpan<char> name) => name.StartsWith(TemporaryPrefix, StringComparison.Ordinal);

    /// <summary>The first name in <paramref name="relativePath"/> longer than <paramref name="maxNameBytes"/> bytes of UTF-8, or null.</summary>
    public static string? FindOverlongName(string relativePath, int maxNameBytes)
    {
        // A name of at most a third as many chars fits whatever they are (a char is at most 3 UTF-8 bytes).
        if (relativePath.Length <= maxNameBytes / 3) return null;
        int start = 0;
        while (start <= relativePath.Length)
        {
            int end = relativePath.IndexOf('/', start);
            if (end < 0) end = relativePath.Length;
            var name = relativePath.AsSpan(start, end - start);
            if (name.Length > maxNameBytes / 3 && Encoding.UTF8.GetByteCount(name) > maxNameBytes) return name.ToString();
            start = end + 1;
        }
        return null;
    }

    private static bool AnySegmentNeedsEscape(string key)
    {
        int start = 0;
        while (true)
        {
            int end = key.IndexOf('/', start);
            if (NeedsEscape(key.AsSpan(start, (end < 0 ? key.Length : end) - start))) return true;
            if (end < 0) return false;
            start = end + 1;
        }
    }

    private static bool NeedsEscape(ReadOnlySpan<char> segment) =>
        segment.Length == 0
        || segment is "." or ".."
        || (segment[0] == Escape && TryUnescape(segment, out _))
        || IsTemporary(segment);

    // A name is escaped when it is '%', then the segment with every '%' as "%25", and that segment
    // is one that needs escaping; anything else is a plain name. The recursion ends: the segment
    // is shorter than the name.
    private static bool TryUnescape(ReadOnlySpan<char> name, out string segment)
    {
        segment = "";
        if (name.Length == 0 || name[0] != Escape) return false;
        var rest = name[1..];
        for (int i = rest.IndexOf(Escape); i >= 0; i = rest.IndexOf(Escape))
        {
            if (!rest[i..].StartsWith(EscapedEscape, StringComparison.Ordinal)) return false;
            rest = rest[(i + EscapedEscape.Length)..];
        }
        var decoded = name[1..].ToString().Replace(EscapedEscape, "%", StringComparison.Ordinal);
        if (!NeedsEscape(decoded)) return false;
        segment = decoded;
        return true;
    }
}
