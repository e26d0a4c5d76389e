using System.Runtime.CompilerServices;

namespace ObjectStorage.Tests.Support;

/// <summary>
/// A memory store that, like a remote medium, implements only the async side (each operation
/// yields the thread first) and counts every call that reaches its sync side, which the base class
/// bridges to the async one. Its awaits capture the caller's SynchronizationContext (no
/// ConfigureAwait(false)), which is what makes a careless sync-over-async bridge deadlock; composites
/// over it show that async callers stay async end to end.
/// </summary>
public sealed class AsyncOnlyStore : ObjectStore
{
    private readonly DictStore _inner = new();
    private int _syncCalls;

    /// <summary>Calls that came in through the sync side.</summary>
    public int SyncCalls => Volatile.Read(ref _syncCalls);

    public override bool CanPutIfNotExists => true;

    public override MetadataSupport MetadataSupport => _inner.MetadataSupport;

    public override string ToString() => "AsyncOnlyStore";

    protected override async ValueTask<byte[]?> GetAsyncCore(string key, CancellationToken ct) { await Task.Yield(); return await _inner.TryGetAsync(key, ct); }
    protected override async ValueTask<Stream?> OpenReadAsyncCore(string key, CancellationToken ct)
    {
        await Task.Yield();
        return await _inner.TryOpenReadAsync(key, ct);
    }

    protected override async ValueTask PutAsyncCore(string key, ReadOnlyMemory<byte> data, PutOptions options, CancellationToken ct) { await Task.Yield(); await _inner.PutAsync(key, data, options, ct); }
    protected override async ValueTask PutStreamAsyncCore(string key, Stream data, PutOptions options, CancellationToken ct) { await Task.Yield(); await _inner.PutAsync(key, data, options, ct); }
    protected override async ValueTask<bool> PutIfNotExistsAsyncCore(string key, ReadOnlyMemory<byte> data, PutOptions options, CancellationToken ct) { await Task.Yield(); return await _inner.PutIfNotExistsAsync(key, data, options, ct); }
    protected override async ValueTask<bool> ExistsAsyncCore(string key, CancellationToken ct) { await Task.Yield(); return await _inner.ExistsAsync(key, ct); }
    protected override async ValueTask<ObjectInfo?> StatAsyncCore(string key, CancellationToken ct) { await Task.Yield(); return await _inner.StatAsync(key, ct); }
    protected override async ValueTask DeleteAsyncCore(string key, CancellationToken ct) { await Task.Yield(); await _inner.DeleteAsync(key, ct); }

    protected override async IAsyncEnumerable<string> KeysAsyncCore(string prefix, [EnumeratorCancellation] CancellationToken ct)
    {
        await Task.Yield();
        await foreach (var key in _inner.KeysAsync(prefix, ct)) yield return key;
    }

    protected override async IAsyncEnumerable<ObjectInfo> ListAsyncCore(string prefix, [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var info in _inner.ListAsync(prefix, ct))
        {
            await Task.Yield();
            yield return info;
        }
    }

    // The sync side: counted, then bridged by the base class to the async side above.
    protected override byte[]? GetCore(string key) { Counted(); return base.GetCore(key); }
    protected override Stream? OpenReadCore(string key) { Counted(); return base.OpenReadCore(key); }
    protected override void PutCore(string key, ReadOnlyMemory<byte> data, PutOptions options) { Counted(); base.PutCore(key, data, options); }
    protected override void PutStreamCore(string key, Stream data, PutOptions options) { Counted(); base.PutStreamCore(key, data, options); }
    protected override bool PutIfNotExistsCore(string key, ReadOnlyMemory<byte> data, PutOptions options) { Counted(); return base.PutIfNotExistsCore(key, data, options); }
    protected override bool ExistsCore(string key) { Counted(); return base.ExistsCore(key); }
    protected override ObjectInfo? StatCore(string key) { Counted(); return base.StatCore(key); }
    protected override void DeleteCore(string key) { Counted(); base.DeleteCore(key); }
    protected override IEnumerable<string> KeysCore(string prefix) { Counted(); return base.KeysCore(prefix); }
    protected override IEnumerable<ObjectInfo> ListCore(string prefix) { Counted(); return base.ListCore(prefix); }

    private void Counted() => Interlocked.Increment(ref _syncCalls);

    protected override void Dispose(bool disposing) => _inner.Dispose();
}
