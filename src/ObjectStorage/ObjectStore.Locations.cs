namespace ObjectStorage;

// Where a store lives, so that sync can refuse a source and a target over one place.
public abstract partial class ObjectStore
{
    /// <summary>
    /// The places this store keeps objects in (see <see cref="StoreLocation"/>): one for a medium,
    /// those of the wrapped stores for a wrapper or composite (with a wrapper's key prefix applied),
    /// and none when the store cannot say, in which case nothing can be checked against it.
    /// </summary>
    public virtual IReadOnlyList<StoreLocation> Locations => [.. InnerStores.SelectMany(static inner => inner.Locations)];

    /// <summary>
    /// True when every place the store keeps objects is on this machine (its files, or memory; <see cref="StoreLocation.IsLocal"/>),
    /// so reading an object costs less than a request to a remote store; false when any is remote or the store cannot say.
    /// </summary>
    public bool IsLocal => Locations is { Count: > 0 } places && places.All(static place => place.IsLocal);
}
