namespace ObjectStorage;

/// <summary>Bytes stored as their standard base64 text (RFC 4648, padded, ASCII), as the Python original's <c>Base64Store</c> writes them.</summary>
public sealed class Base64Codec : ObjectCodec<byte[]>
{
    /// <summary>The one instance; it holds no state.</summary>
    public static Base64Codec Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "base64 text";

    /// <inheritdoc/>
    public override byte[] Encode(byte[] value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var text = new byte[((value.Length + 2) / 3) * 4];
        System.Buffers.Text.Base64.EncodeToUtf8(value, text, out _, out _);
        return text;
    }

    /// <inheritdoc/>
    public override byte[] Decode(ReadOnlySpan<byte> data)
    {
        var bytes = new byte[System.Buffers.Text.Base64.GetMaxDecodedFromUtf8Length(data.Length)];
        var status = System.Buffers.Text.Base64.DecodeFromUtf8(data, bytes, out _, out int written);
        if (status != System.Buffers.OperationStatus.Done) throw new FormatException($"not base64 ({status})");
        return bytes[..written];
    }
}
