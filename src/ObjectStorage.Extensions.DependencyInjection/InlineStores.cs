namespace ObjectStorage;

/// <summary>
/// The stores a composite opened from URLs of its own (not named stores): composites built from
/// configuration never own their children, so the container disposes these through this holder.
/// </summary>
internal sealed class InlineStores : IAsyncDisposable, IDisposable
{
    private readonly List<ObjectStore> _stores = [];

    public ObjectStore Add(ObjectStore store)
    {
        lock (_stores) _stores.Add(store);
        return store;
    }

    public void Dispose()
    {
        foreach (var store in Take()) store.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var store in Take()) await store.DisposeAsync().ConfigureAwait(false);
    }

    private List<ObjectStore> Take()
    {
        lock (_stores)
        {
            var stores = new List<ObjectStore>(_stores);
            stores.Reverse();
            _stores.Clear();
            return stores;
        }
    }
}
