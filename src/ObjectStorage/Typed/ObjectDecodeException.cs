namespace ObjectStorage;

/// <summary>An object's bytes are not a valid encoding of the type a <see cref="TypedStore{T}"/> reads; carries the store, the key and the type.</summary>
public sealed class ObjectDecodeException : FormatException
{
    /// <summary>The object under <paramref name="key"/> in <paramref name="store"/> is not <paramref name="encoding"/> of <paramref name="type"/>, as <paramref name="inner"/> says.</summary>
    public ObjectDecodeException(string store, string key, Type type, string encoding, Exception inner)
        : base($"{store}: the object with key {ObjectKey.Describe(key)} is not valid {encoding}, so it cannot be read as {type.Name}: {inner.Message}", inner)
    {
        Store = store;
        Key = key;
        Type = type;
    }

    /// <summary>A description of the store that holds the object.</summary>
    public string Store { get; }

    /// <summary>The key of the object.</summary>
    public string Key { get; }

    /// <summary>The type the object was read as.</summary>
    public Type Type { get; }
}
