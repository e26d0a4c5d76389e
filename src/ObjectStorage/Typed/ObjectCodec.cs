namespace ObjectStorage;

/// <summary>
/// Turns values of <typeparamref name="T"/> into an object's bytes and back, for a
/// <see cref="TypedStore{T}"/>: UTF-8 text (<see cref="TextCodec"/>), JSON
/// (<see cref="JsonCodec{T}"/>), base64 (<see cref="Base64Codec"/>), or one of your own.
/// </summary>
public abstract class ObjectCodec<T>
{
    /// <summary>What the bytes are, for messages ("UTF-8 text", "JSON of Order").</summary>
    public abstract string Name { get; }

    /// <summary>The bytes that represent <paramref name="value"/>.</summary>
    public abstract byte[] Encode(T value);

    /// <summary>The value <paramref name="data"/> represents; throws any exception when the bytes are not a valid encoding (the store wraps it in <see cref="ObjectDecodeException"/>).</summary>
    public abstract T Decode(ReadOnlySpan<byte> data);
}
