using System.Text;
using System.Text.Json.Serialization.Metadata;

namespace ObjectStorage;

/// <summary>Typed views of any store: text, JSON, base64 or a codec of your own.</summary>
public static class TypedStoreExtensions
{
    /// <summary>The store's objects as strings in <paramref name="encoding"/> (strict UTF-8 by default).</summary>
    public static TypedStore<string> Text(this ObjectStore store, Encoding? encoding = null) =>
        new(store, encoding is null ? TextCodec.Utf8 : new TextCodec(encoding));

    /// <summary>The store's objects as JSON values of <typeparamref name="T"/>, through source-generated type information (<c>AppJson.Default.Order</c>).</summary>
    public static TypedStore<T> Json<T>(this ObjectStore store, JsonTypeInfo<T> typeInfo) => new(store, new JsonCodec<T>(typeInfo));

    /// <summary>The store's objects as bytes kept in base64 text.</summary>
    public static TypedStore<byte[]> Base64(this ObjectStore store) => new(store, Base64Codec.Instance);

    /// <summary>The store's objects through <paramref name="codec"/>.</summary>
    public static TypedStore<T> As<T>(this ObjectStore store, ObjectCodec<T> codec) => new(store, codec);
}
