using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace ObjectStorage;

/// <summary>
/// Values as UTF-8 JSON through System.Text.Json with the given type information, so that a
/// source-generated <c>JsonSerializerContext</c> serves it and the code stays trimmable and AOT-safe
/// (as the Python original's <c>JsonStore</c> over <c>TextEncodingStore</c>). JSON <c>null</c> is refused as a value.
/// </summary>
public sealed class JsonCodec<T>(JsonTypeInfo<T> typeInfo) : ObjectCodec<T>
{
    private readonly JsonTypeInfo<T> _typeInfo = typeInfo ?? throw new ArgumentNullException(nameof(typeInfo));

    /// <inheritdoc/>
    public override string Name => $"JSON of {typeof(T).Name}";

    /// <inheritdoc/>
    public override byte[] Encode(T value) => JsonSerializer.SerializeToUtf8Bytes(value, _typeInfo);

    /// <inheritdoc/>
    public override T Decode(ReadOnlySpan<byte> data) =>
        JsonSerializer.Deserialize(data, _typeInfo) ?? throw new JsonException("the object holds JSON null");
}
