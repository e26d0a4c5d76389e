using System.Diagnostics.CodeAnalysis;

namespace ObjectStorage;

/// <summary>
/// A view of a store whose objects are values of <typeparamref name="T"/>, encoded by an
/// <see cref="ObjectCodec{T}"/>: <c>store.Json(AppJson.Default.Order).Put("k", order)</c>,
/// <c>store.Text().Get("k")</c>. Sync and async side by side, as on <see cref="ObjectStore"/>;
/// bytes the codec cannot read throw <see cref="ObjectDecodeException"/> naming the key and type.
/// </summary>
/// <remarks>A view holds no state of its own: it never disposes the store, and many views may share one.</remarks>
public sealed class TypedStore<T>
{
    /// <summary>A view of <paramref name="store"/> through <paramref name="codec"/>.</summary>
    public TypedStore(ObjectStore store, ObjectCodec<T> codec)
    {
        Store = store ?? throw new ArgumentNullException(nameof(store));
        Codec = codec ?? throw new ArgumentNullException(nameof(codec));
    }

    /// <summary>The store the objects live in.</summary>
    public ObjectStore Store { get; }

    /// <summary>How values become bytes.</summary>
    public ObjectCodec<T> Codec { get; }

    /// <summary>The value under <paramref name="key"/>; throws <see cref="ObjectNotFoundException"/> when absent, <see cref="ObjectDecodeException"/> when not a valid encoding.</summary>
    public T Get(string key) => Decode(key, Store.Get(key));

    /// <inheritdoc cref="Get(string)"/>
    public async ValueTask<T> GetAsync(string key, CancellationToken cancellationToken = default) =>
        Decode(key, await Store.GetAsync(key, cancellationToken).ConfigureAwait(false));

    /// <summary>Reads the value if the key exists; false when it does not. Throws <see cref="ObjectDecodeException"/> when the bytes are not a valid encoding.</summary>
    public bool TryGet(string key, [MaybeNullWhen(false)] out T value)
    {
        if (!Store.TryGet(key, out var data))
        {
            value = default;
            return false;
        }
        value = Decode(key, data);
        return true;
    }

    /// <summary>Stores <paramref name="value"/> under <paramref name="key"/>, atomically as <see cref="ObjectStore.Put(string, byte[])"/>.</summary>
    public void Put(string key, T value) => Store.Put(key, Codec.Encode(value));

    /// <summary>Stores <paramref name="value"/> with the metadata of <paramref name="options"/> (content type, user metadata, time), as <see cref="ObjectStore.Put(string, byte[], PutOptions)"/>.</summary>
    public void Put(string key, T value, PutOptions options) => Store.Put(key, Codec.Encode(value), options);

    /// <inheritdoc cref="Put(string, T)"/>
    public ValueTask PutAsync(string key, T value, CancellationToken cancellationToken = default) =>
        Store.PutAsync(key, Codec.Encode(value), cancellationToken);

    /// <inheritdoc cref="Put(string, T, PutOptions)"/>
    public ValueTask PutAsync(string key, T value, PutOptions options, CancellationToken cancellationToken = default) =>
        Store.PutAsync(key, Codec.Encode(value), options, cancellationToken);

    /// <summary>Stores the value only if no object has the key, as <see cref="ObjectStore.PutIfNotExists(string, byte[])"/>.</summary>
    public bool PutIfNotExists(string key, T value) => Store.PutIfNotExists(key, Codec.Encode(value));

    /// <summary>True when an object has the key.</summary>
    public bool Exists(string key) => Store.Exists(key);

    /// <inheritdoc cref="Exists(string)"/>
    public ValueTask<bool> ExistsAsync(string key, CancellationToken cancellationToken = default) => Store.ExistsAsync(key, cancellationToken);

    /// <summary>Removes the object; a missing key is not an error.</summary>
    public void Delete(string key) => Store.Delete(key);

    /// <inheritdoc cref="Delete(string)"/>
    public ValueTask DeleteAsync(string key, CancellationToken cancellationToken = default) => Store.DeleteAsync(key, cancellationToken);

    /// <summary>The keys under <paramref name="prefix"/>, as <see cref="ObjectStore.Keys(string)"/>.</summary>
    public IEnumerable<string> Keys(string prefix = "") => Store.Keys(prefix);

    /// <inheritdoc cref="Keys(string)"/>
    public IAsyncEnumerable<string> KeysAsync(string prefix = "", CancellationToken cancellationToken = default) => Store.KeysAsync(prefix, cancellationToken);

    private T Decode(string key, byte[] data)
    {
        try
        {
            return Codec.Decode(data);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new ObjectDecodeException(Store.ToString(), key, typeof(T), Codec.Name, e);
        }
    }
}
