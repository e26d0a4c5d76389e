using System.Text;

namespace ObjectStorage.Server.Protocol;

/// <summary>
/// Percent-encoding as S3 and SigV4 use it: strict UTF-8, '+' is a plus (never a space), and the
/// canonical form escapes every byte but A-Z a-z 0-9 - _ . ~ (and '/' in paths).
/// </summary>
internal static class UriEncoding
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The text that <paramref name="encoded"/> stands for, or null when it is not percent-encoded UTF-8.</summary>
    public static string? Decode(ReadOnlySpan<char> encoded)
    {
        if (encoded.IndexOf('%') < 0)
        {
            foreach (var c in encoded)
                if (c > 0x7F) return null;
            return encoded.ToString();
        }
        var bytes = new byte[encoded.Length];
        int n = 0;
        for (int i = 0; i < encoded.Length; i++)
        {
            var c = encoded[i];
            if (c == '%')
            {
                if (i + 2 >= encoded.Length || !IsHex(encoded[i + 1]) || !IsHex(encoded[i + 2])) return null;
                bytes[n++] = (byte)Convert.ToInt32(encoded.Slice(i + 1, 2).ToString(), 16);
                i += 2;
            }
            else if (c > 0x7F) return null;
            else bytes[n++] = (byte)c;
        }
        try
        {
            return Strict.GetString(bytes, 0, n);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    /// <summary>SigV4's canonical encoding of <paramref name="text"/>; '/' stays as it is when <paramref name="keepSlash"/> (paths).</summary>
    public static string Encode(string text, bool keepSlash)
    {
        var builder = new StringBuilder(text.Length + 16);
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            if (b is >= (byte)'A' and <= (byte)'Z' or >= (byte)'a' and <= (byte)'z' or >= (byte)'0' and <= (byte)'9' or (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~'
                || (keepSlash && b == '/'))
                builder.Append((char)b);
            else
                builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }
        return builder.ToString();
    }

    /// <summary>
    /// How a listing writes keys and prefixes for its <c>encoding-type</c>: "url" percent-encodes as S3
    /// does (every byte but A-Z a-z 0-9 - _ . ~ and '/'), none leaves them as they are; any other is InvalidArgument.
    /// </summary>
    public static Func<string, string> ForListing(string? encodingType) => encodingType switch
    {
        null => static text => text,
        "url" => static text => Encode(text, keepSlash: true),
        _ => throw S3Error.InvalidArgument($"encoding-type '{encodingType}' is not 'url'."),
    };

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);
}
