using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Conformance;

/// <summary>Which side of the API a conformance test drives.</summary>
public enum Api { Sync, Async }

/// <summary>
/// The behaviours every store shares (docs/architecture.md, "Semantics every store shares"). A store's test class derives from this, says
/// how to make a fresh store, and inherits every test. Behaviours that a store's capability flags
/// rule out are skipped visibly, never deleted. Every test that touches data runs once through
/// the sync members and once through the async ones.
/// </summary>
public abstract partial class StoreConformance : IAsyncLifetime
{
    private readonly List<IDisposable> _cleanup = [];
    private ObjectStore? _store;

    /// <summary>Makes the fresh, empty store under test. Called once per test.</summary>
    protected abstract ObjectStore CreateStore();

    /// <summary>The store under test.</summary>
    protected ObjectStore Store => _store ?? throw new InvalidOperationException("The store is created in InitializeAsync.");

    /// <summary>
    /// The store tests write through when they set up data. The store under test itself, unless it
    /// cannot write (a read-only view), in which case the writable store it shows.
    /// </summary>
    protected virtual ObjectStore Writer => Store;

    /// <summary>The longest key the store holds; 1024 bytes unless the medium adds to the key (an S3 prefix).</summary>
    protected virtual int MaxKeyBytes => ObjectKey.MaxBytes;

    /// <summary>Why the medium under test (a stand-in server) cannot hold a key the contract allows, or null; such keys are left out, by name.</summary>
    protected virtual string? CannotHold(string key) => null;

    /// <summary>Size of the large streamed round trip.</summary>
    protected virtual long LargeObjectBytes => 50L << 20;

    /// <summary>
    /// False for media where a key cannot also be a "directory" of other keys (a file tree: "a"
    /// and "a/b"); such a store must refuse the second with <see cref="ObjectStoreException"/>.
    /// </summary>
    protected virtual bool KeysMayNestUnderKeys => true;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A directory deleted after the test, for stores that live on disk.</summary>
    protected string NewTempDirectory(string tag) => Track(new TempDirectory(tag)).Path;

    /// <summary>Disposes <paramref name="item"/> after the test, after the store.</summary>
    protected T Track<T>(T item) where T : IDisposable
    {
        _cleanup.Add(item);
        return item;
    }

    public virtual ValueTask InitializeAsync()
    {
        _store = CreateStore();
        return ValueTask.CompletedTask;
    }

    public virtual async ValueTask DisposeAsync()
    {
        if (_store is not null) await _store.DisposeAsync();
        for (int i = _cleanup.Count - 1; i >= 0; i--) _cleanup[i].Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>The store under test, driven through one side of its API.</summary>
    protected StoreApi On(Api api) => new(Store, api);

    /// <summary>The writer, driven through one side of its API.</summary>
    protected StoreApi Write(Api api) => new(Writer, api);

    protected void RequireWrite() => Assert.SkipUnless(Writer.CanWrite, $"{Store} cannot write and offers no writable inner store");

    protected void RequireList() => Assert.SkipUnless(Store.CanList, $"{Store} cannot list (CanList is false)");

    protected void RequireDelete() => Assert.SkipUnless(Writer.CanDelete, $"{Store} cannot delete (CanDelete is false)");

    /// <summary>Keys of the store, through the chosen API, as a list in the order yielded.</summary>
    protected async Task<List<string>> KeysOf(Api api, string prefix = "") => await On(api).Keys(prefix);
}

/// <summary>One store driven through its sync or its async members, so one test body covers both.</summary>
public sealed class StoreApi(ObjectStore store, Api api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private bool Sync => api == Api.Sync;

    public ObjectStore Store => store;

    public async Task Put(string key, byte[] data)
    {
        if (Sync) store.Put(key, data);
        else await store.PutAsync(key, data, Ct);
    }

    public async Task Put(string key, Stream data)
    {
        if (Sync) store.Put(key, data);
        else await store.PutAsync(key, data, Ct);
    }

    public async Task Put(string key, byte[] data, PutOptions options)
    {
        if (Sync) store.Put(key, data, options);
        else await store.PutAsync(key, data, options, Ct);
    }

    public async Task Put(string key, Stream data, PutOptions options)
    {
        if (Sync) store.Put(key, data, options);
        else await store.PutAsync(key, data, options, Ct);
    }

    public async Task<bool> PutIfNotExists(string key, byte[] data, PutOptions options) =>
        Sync ? store.PutIfNotExists(key, data, options) : await store.PutIfNotExistsAsync(key, data, options, Ct);

    public async Task<bool> PutIfNotExists(string key, byte[] data) =>
        Sync ? store.PutIfNotExists(key, data) : await store.PutIfNotExistsAsync(key, data, Ct);

    public async Task<byte[]> Get(string key) => Sync ? store.Get(key) : await store.GetAsync(key, Ct);

    public async Task<byte[]?> TryGet(string key)
    {
        if (!Sync) return await store.TryGetAsync(key, Ct);
        return store.TryGet(key, out var data) ? data : null;
    }

    public async Task<Stream> OpenRead(string key) => Sync ? store.OpenRead(key) : await store.OpenReadAsync(key, Ct);

    public async Task<Stream> OpenRead(string key, long offset, long? length) =>
        Sync ? store.OpenRead(key, offset, length) : await store.OpenReadAsync(key, offset, length, Ct);

    public async Task<Stream?> TryOpenRead(string key, long offset, long? length) =>
        Sync ? store.TryOpenRead(key, offset, length) : await store.TryOpenReadAsync(key, offset, length, Ct);

    public async Task PutMany(params (string Key, byte[] Data)[] objects)
    {
        var batch = objects.Select(o => KeyValuePair.Create(o.Key, (ReadOnlyMemory<byte>)o.Data));
        if (Sync) store.PutMany(batch);
        else await store.PutManyAsync(batch, Ct);
    }

    public async Task<long> DeleteMany(params string[] keys) => Sync ? store.DeleteMany(keys) : await store.DeleteManyAsync(keys, Ct);

    public async Task<long> DeletePrefix(string prefix) => Sync ? store.DeletePrefix(prefix) : await store.DeletePrefixAsync(prefix, Ct);

    public async Task<Uri> PresignGetUrl(string key) =>
        Sync ? store.PresignGetUrl(key, TimeSpan.FromMinutes(5)) : await store.PresignGetUrlAsync(key, TimeSpan.FromMinutes(5), Ct);

    public async Task<Uri> PresignPutUrl(string key) =>
        Sync ? store.PresignPutUrl(key, TimeSpan.FromMinutes(5)) : await store.PresignPutUrlAsync(key, TimeSpan.FromMinutes(5), Ct);

    public async Task<bool> Exists(string key) => Sync ? store.Exists(key) : await store.ExistsAsync(key, Ct);

    public async Task<ObjectInfo?> Stat(string key) => Sync ? store.Stat(key) : await store.StatAsync(key, Ct);

    public async Task Delete(string key)
    {
        if (Sync) store.Delete(key);
        else await store.DeleteAsync(key, Ct);
    }

    public async Task<List<string>> Keys(string prefix = "")
    {
        if (Sync) return store.Keys(prefix).ToList();
        var keys = new List<string>();
        await foreach (var key in store.KeysAsync(prefix, Ct)) keys.Add(key);
        return keys;
    }

    public async Task<List<ObjectInfo>> List(string prefix = "")
    {
        if (Sync) return store.List(prefix).ToList();
        var infos = new List<ObjectInfo>();
        await foreach (var info in store.ListAsync(prefix, Ct)) infos.Add(info);
        return infos;
    }
}
