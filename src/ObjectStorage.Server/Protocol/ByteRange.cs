using System.Globalization;

namespace ObjectStorage.Server.Protocol;

/// <summary>One satisfiable byte range of an object, from a Range header of the form S3 accepts.</summary>
internal readonly record struct ByteRange(long First, long Length)
{
    public string ContentRange(long size) => $"bytes {First}-{First + Length - 1}/{size}";

    /// <summary>
    /// The range <paramref name="header"/> asks of an object of <paramref name="size"/> bytes; null
    /// for the whole object (no header, or one S3 ignores: several ranges, another unit, bad syntax);
    /// throws InvalidRange (416) when the range lies outside the object.
    /// </summary>
    public static ByteRange? Parse(string header, long size, string key)
    {
        if (header.Length == 0 || !header.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase)) return null;
        var spec = header["bytes=".Length..].Trim();
        if (spec.Contains(',', StringComparison.Ordinal)) return null;
        var dash = spec.IndexOf('-');
        if (dash < 0) return null;
        var firstText = spec[..dash].Trim();
        var lastText = spec[(dash + 1)..].Trim();
        if (firstText.Length == 0)
        {
            if (!TryNumber(lastText, out var suffix)) return null;
            if (suffix == 0 || size == 0) throw Unsatisfiable(size, key);
            var length = Math.Min(suffix, size);
            return new ByteRange(size - length, length);
        }
        if (!TryNumber(firstText, out var first)) return null;
        long last = size - 1;
        if (lastText.Length > 0)
        {
            if (!TryNumber(lastText, out last) || last < first) return null;
        }
        if (first >= size) throw Unsatisfiable(size, key);
        last = Math.Min(last, size - 1);
        return new ByteRange(first, last - first + 1);
    }

    private static bool TryNumber(string text, out long value) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    /// <summary>InvalidRange (416) for a range outside an object of <paramref name="size"/> bytes, with the Content-Range S3 sends.</summary>
    public static S3Error Unsatisfiable(long size, string key) =>
        new(416, "InvalidRange", $"The requested range is not satisfiable: the object is {size} bytes long.", key)
        {
            Headers = new Dictionary<string, string> { ["Content-Range"] = $"bytes */{size}" },
        };
}
