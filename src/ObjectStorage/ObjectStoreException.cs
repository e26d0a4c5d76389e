namespace ObjectStorage;

/// <summary>
/// A failure of the medium behind a store (disk, database, network, service), or a key that the
/// medium cannot hold (for example a file path that is taken by a directory). The medium's own
/// exception is kept as <see cref="Exception.InnerException"/>.
/// </summary>
public class ObjectStoreException : IOException
{
    /// <summary>A failure of the medium of <paramref name="store"/> (its description), on <paramref name="key"/> when the failure concerns one key.</summary>
    public ObjectStoreException(string store, string? key, string message, Exception? inner = null)
        : base(key is null ? $"{store}: {message}" : $"{store}: {message} (key {ObjectKey.Describe(key)})", inner)
    {
        Store = store;
        Key = key;
    }

    /// <summary>A description of the store that failed.</summary>
    public string Store { get; }

    /// <summary>The key of the operation that failed, or null for store-wide operations.</summary>
    public string? Key { get; }
}
