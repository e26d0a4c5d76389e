using System.Text;

namespace ObjectStorage;

/// <summary>Strings as text in an encoding (UTF-8 by default, as the Python original's <c>TextEncodingStore</c>); bytes that are not valid in the encoding are refused, not replaced.</summary>
public sealed class TextCodec : ObjectCodec<string>
{
    private readonly Encoding _encoding;

    /// <summary>Text in <paramref name="encoding"/>, or strict UTF-8 without a byte order mark when null.</summary>
    public TextCodec(Encoding? encoding = null)
    {
        _encoding = encoding is null or UTF8Encoding
            ? new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true)
            : Encoding.GetEncoding(encoding.CodePage, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
    }

    /// <summary>Strict UTF-8.</summary>
    public static TextCodec Utf8 { get; } = new();

    /// <inheritdoc/>
    public override string Name => $"{_encoding.WebName} text";

    /// <inheritdoc/>
    public override byte[] Encode(string value) => _encoding.GetBytes(value ?? throw new ArgumentNullException(nameof(value)));

    /// <inheritdoc/>
    public override string Decode(ReadOnlySpan<byte> data) => _encoding.GetString(data);
}
