namespace ObjectStorage;

/// <summary>Thrown when a key that must exist does not; a <see cref="KeyNotFoundException"/> that carries the key and the store.</summary>
public sealed class ObjectNotFoundException : KeyNotFoundException
{
    /// <summary>No object has <paramref name="key"/> in the store described by <paramref name="store"/>.</summary>
    public ObjectNotFoundException(string store, string key, Exception? inner = null)
        : base($"{store}: no object with key {ObjectKey.Describe(key)}.", inner)
    {
        Store = store;
        Key = key;
    }

    /// <summary>A description of the store that was asked.</summary>
    public string Store { get; }

    /// <summary>The key that was not found.</summary>
    public string Key { get; }
}
