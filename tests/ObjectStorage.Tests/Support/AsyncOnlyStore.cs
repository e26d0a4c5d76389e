using System.Runtime.CompilerServices;

namespace ObjectStorage.Tests.Support;

/// <summary>
/// A store that implements only the async side, as a remote medium does, and whose awaits
/// capture the caller's SynchronizationContext (no ConfigureAwait(false)), which is what makes a
/// careless sync-over-async bridge deadlock.
/// </summary>
public sealed class AsyncOnlyStore : ObjectStore
{
    private readonly DictStore _inner = new();

    public override bool CanPutIfNotExists => true;

    public override string ToString() => "AsyncOnlyStore";

    protected override async ValueTask<byte[]?> GetAsyncCore(string key, CancellationToken cancellationToken)
    {
        await Task.Yield();
        return await _inner.TryGetAsync(key, cancellationToken);
    }

    protected override async ValueTask PutAsyncCore(string key, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        await Task.Yield();
        await _inner.PutAsync(key, data, cancellationToken);
    }

    protected override async ValueTask<bool> PutIfNotExistsAsyncCore(string key, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        await Task.Yield();
        return await _inner.PutIfNotExistsAsync(key, data, cancellationToken);
    }

    protected override async ValueTask<ObjectInfo?> StatAsyncCore(string key, CancellationToken cancellationToken)
    {
        await Task.Yield();
        return await _inner.StatAsync(key, cancellationToken);
    }

    protected override async ValueTask DeleteAsyncCore(string key, CancellationToken cancellationToken)
    {
        await Task.Yield();
        await _inner.DeleteAsync(key, cancellationToken);
    }

    protected override async IAsyncEnumerable<ObjectInfo> ListAsyncCore(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var info in _inner.ListAsync(prefix, cancellationToken))
        {
            await Task.Yield();
            yield return info;
        }
    }
}
