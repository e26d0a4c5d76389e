using System.Runtime.CompilerServices;

namespace ObjectStorage;

/// <summary>
/// A store that holds an inner store and forwards every operation to it, sync to sync and async
/// to async, so that a wrapper over an async-native medium never blocks a thread. A derived
/// wrapper changes one thing: the keys it shows (<see cref="MapKey"/>, <see cref="UnmapKey"/>),
/// what it allows, or what it does to the bytes.
/// </summary>
public abstract class WrapperStore : ObjectStore
{
    private readonly bool _leaveOpen;

    /// <summary>Wraps <paramref name="inner"/>; disposing the wrapper disposes it unless <paramref name="leaveOpen"/>.</summary>
    protected WrapperStore(ObjectStore inner, bool leaveOpen)
    {
        Inner = inner ?? throw new ArgumentNullException(nameof(inner));
        _leaveOpen = leaveOpen;
    }

    /// <summary>The wrapped store.</summary>
    protected ObjectStore Inner { get; }

    public override bool CanWrite => Inner.CanWrite;

    public override bool CanDelete => Inner.CanDelete;

    public override bool CanList => Inner.CanList;

    public override bool CanPutIfNotExists => Inner.CanPutIfNotExists;

    public override string? ETagKind => Inner.ETagKind;

    /// <summary>The inner store's key for a key of this store.</summary>
    protected virtual string MapKey(string key) => key;

    /// <summary>The inner store's listing prefix for a prefix of this store.</summary>
    protected virtual string MapPrefix(string prefix) => prefix;

    /// <summary>This store's key for a key the inner store lists.</summary>
    protected virtual string UnmapKey(string innerKey) => innerKey;

    protected override byte[]? GetCore(string key) => Inner.TryGet(MapKey(key), out var data) ? data : null;

    protected override ValueTask<byte[]?> GetAsyncCore(string key, CancellationToken cancellationToken) =>
        Inner.TryGetAsync(MapKey(key), cancellationToken);

    protected override Stream? OpenReadCore(string key) => Inner.TryOpenRead(MapKey(key));

    protected override ValueTask<Stream?> OpenReadAsyncCore(string key, CancellationToken cancellationToken) =>
        Inner.TryOpenReadAsync(MapKey(key), cancellationToken);

    protected override void PutCore(string key, ReadOnlyMemory<byte> data) => Inner.Put(MapKey(key), data);

    protected override ValueTask PutAsyncCore(string key, ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        Inner.PutAsync(MapKey(key), data, cancellationToken);

    protected override void PutStreamCore(string key, Stream data) => Inner.Put(MapKey(key), data);

    protected override ValueTask PutStreamAsyncCore(string key, Stream data, CancellationToken cancellationToken) =>
        Inner.PutAsync(MapKey(key), data, cancellationToken);

    protected override bool PutIfNotExistsCore(string key, ReadOnlyMemory<byte> data) => Inner.PutIfNotExists(MapKey(key), data);

    protected override ValueTask<bool> PutIfNotExistsAsyncCore(string key, ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        Inner.PutIfNotExistsAsync(MapKey(key), data, cancellationToken);

    protected override bool ExistsCore(string key) => Inner.Exists(MapKey(key));

    protected override ValueTask<bool> ExistsAsyncCore(string key, CancellationToken cancellationToken) =>
        Inner.ExistsAsync(MapKey(key), cancellationToken);

    protected override ObjectInfo? StatCore(string key) => Unmap(Inner.Stat(MapKey(key)));

    protected override async ValueTask<ObjectInfo?> StatAsyncCore(string key, CancellationToken cancellationToken) =>
        Unmap(await Inner.StatAsync(MapKey(key), cancellationToken).ConfigureAwait(false));

    protected override void DeleteCore(string key) => Inner.Delete(MapKey(key));

    protected override ValueTask DeleteAsyncCore(string key, CancellationToken cancellationToken) =>
        Inner.DeleteAsync(MapKey(key), cancellationToken);

    protected override IEnumerable<string> KeysCore(string prefix) => Inner.Keys(MapPrefix(prefix)).Select(UnmapKey);

    protected override async IAsyncEnumerable<string> KeysAsyncCore(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var key in Inner.KeysAsync(MapPrefix(prefix), cancellationToken).ConfigureAwait(false))
            yield return UnmapKey(key);
    }

    protected override IEnumerable<ObjectInfo> ListCore(string prefix) => Inner.List(MapPrefix(prefix)).Select(info => Unmap(info)!);

    protected override async IAsyncEnumerable<ObjectInfo> ListAsyncCore(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var info in Inner.ListAsync(MapPrefix(prefix), cancellationToken).ConfigureAwait(false))
            yield return Unmap(info)!;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_leaveOpen) Inner.Dispose();
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        if (!_leaveOpen) await Inner.DisposeAsync().ConfigureAwait(false);
    }

    private ObjectInfo? Unmap(ObjectInfo? info)
    {
        if (info is null) return null;
        var key = UnmapKey(info.Key);
        return ReferenceEquals(key, info.Key) ? info : info with { Key = key };
    }
}
