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

    /// <inheritdoc/>
    protected override IEnumerable<ObjectStore> InnerStores => [Inner];

    /// <inheritdoc/>
    public override bool CanWrite => Inner.CanWrite;

    /// <inheritdoc/>
    public override bool CanDelete => Inner.CanDelete;

    /// <inheritdoc/>
    public override bool CanList => Inner.CanList;

    /// <inheritdoc/>
    public override bool CanPutIfNotExists => Inner.CanPutIfNotExists;

    /// <inheritdoc/>
    public override string? ETagKind => Inner.ETagKind;

    /// <inheritdoc/>
    public override bool IsRangeReadNative => Inner.IsRangeReadNative;

    /// <inheritdoc/>
    public override bool IsDeleteManyNative => Inner.IsDeleteManyNative;

    /// <inheritdoc/>
    public override bool IsPutManyAtomic => Inner.IsPutManyAtomic;

    /// <inheritdoc/>
    public override bool CanPresign => Inner.CanPresign;

    /// <summary>The inner store's: a wrapper passes metadata through unchanged.</summary>
    public override MetadataSupport MetadataSupport => Inner.MetadataSupport;

    /// <summary>The inner store's key for a key of this store.</summary>
    protected virtual string MapKey(string key) => key;

    /// <summary>The inner store's listing prefix for a prefix of this store.</summary>
    protected virtual string MapPrefix(string prefix) => prefix;

    /// <summary>This store's key for a key the inner store lists.</summary>
    protected virtual string UnmapKey(string innerKey) => innerKey;

    /// <inheritdoc/>
    protected override byte[]? GetCore(string key) => Inner.TryGet(MapKey(key), out var data) ? data : null;

    /// <inheritdoc/>
    protected override ValueTask<byte[]?> GetAsyncCore(string key, CancellationToken cancellationToken) =>
        Inner.TryGetAsync(MapKey(key), cancellationToken);

    /// <inheritdoc/>
    protected override Stream? OpenReadCore(string key) => Inner.TryOpenRead(MapKey(key));

    /// <inheritdoc/>
    protected override ValueTask<Stream?> OpenReadAsyncCore(string key, CancellationToken cancellationToken) =>
        Inner.TryOpenReadAsync(MapKey(key), cancellationToken);

    /// <inheritdoc/>
    protected override Stream? OpenRangeCore(string key, long offset, long? length) => Inner.TryOpenRead(MapKey(key), offset, length);

    /// <inheritdoc/>
    protected override ValueTask<Stream?> OpenRangeAsyncCore(string key, long offset, long? length, CancellationToken cancellationToken) =>
        Inner.TryOpenReadAsync(MapKey(key), offset, length, cancellationToken);

    /// <inheritdoc/>
    protected override void PutCore(string key, ReadOnlyMemory<byte> data, PutOptions options) => Inner.Put(MapKey(key), data, options);

    /// <inheritdoc/>
    protected override ValueTask PutAsyncCore(string key, ReadOnlyMemory<byte> data, PutOptions options, CancellationToken cancellationToken) =>
        Inner.PutAsync(MapKey(key), data, options, cancellationToken);

    /// <inheritdoc/>
    protected override void PutStreamCore(string key, Stream data, PutOptions options) => Inner.Put(MapKey(key), data, options);

    /// <inheritdoc/>
    protected override ValueTask PutStreamAsyncCore(string key, Stream data, PutOptions options, CancellationToken cancellationToken) =>
        Inner.PutAsync(MapKey(key), data, options, cancellationToken);

    /// <inheritdoc/>
    protected override bool PutIfNotExistsCore(string key, ReadOnlyMemory<byte> data, PutOptions options) => Inner.PutIfNotExists(MapKey(key), data, options);

    /// <inheritdoc/>
    protected override ValueTask<bool> PutIfNotExistsAsyncCore(string key, ReadOnlyMemory<byte> data, PutOptions options, CancellationToken cancellationToken) =>
        Inner.PutIfNotExistsAsync(MapKey(key), data, options, cancellationToken);

    /// <inheritdoc/>
    protected override void PutManyCore(IReadOnlyList<KeyValuePair<string, ReadOnlyMemory<byte>>> objects) =>
        Inner.PutMany(objects.Select(o => KeyValuePair.Create(MapKey(o.Key), o.Value)));

    /// <inheritdoc/>
    protected override async ValueTask PutManyAsyncCore(IReadOnlyList<KeyValuePair<string, ReadOnlyMemory<byte>>> objects, CancellationToken cancellationToken) =>
        await Inner.PutManyAsync(objects.Select(o => KeyValuePair.Create(MapKey(o.Key), o.Value)), cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    protected override bool ExistsCore(string key) => Inner.Exists(MapKey(key));

    /// <inheritdoc/>
    protected override ValueTask<bool> ExistsAsyncCore(string key, CancellationToken cancellationToken) =>
        Inner.ExistsAsync(MapKey(key), cancellationToken);

    /// <inheritdoc/>
    protected override ObjectInfo? StatCore(string key) => Unmap(Inner.Stat(MapKey(key)));

    /// <inheritdoc/>
    protected override async ValueTask<ObjectInfo?> StatAsyncCore(string key, CancellationToken cancellationToken) =>
        Unmap(await Inner.StatAsync(MapKey(key), cancellationToken).ConfigureAwait(false));

    /// <inheritdoc/>
    protected override void DeleteCore(string key) => Inner.Delete(MapKey(key));

    /// <inheritdoc/>
    protected override ValueTask DeleteAsyncCore(string key, CancellationToken cancellationToken) =>
        Inner.DeleteAsync(MapKey(key), cancellationToken);

    /// <inheritdoc/>
    protected override void DeleteManyCore(IReadOnlyList<string> keys) => Inner.DeleteMany(keys.Select(MapKey));

    /// <inheritdoc/>
    protected override async ValueTask DeleteManyAsyncCore(IReadOnlyList<string> keys, CancellationToken cancellationToken) =>
        await Inner.DeleteManyAsync(keys.Select(MapKey), cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    protected override long DeletePrefixCore(string prefix) => Inner.DeletePrefix(MapPrefix(prefix));

    /// <inheritdoc/>
    protected override ValueTask<long> DeletePrefixAsyncCore(string prefix, CancellationToken cancellationToken) =>
        Inner.DeletePrefixAsync(MapPrefix(prefix), cancellationToken);

    /// <inheritdoc/>
    protected override Uri PresignCore(string key, HttpMethod method, TimeSpan expiresIn) =>
        method == HttpMethod.Put ? Inner.PresignPutUrl(MapKey(key), expiresIn) : Inner.PresignGetUrl(MapKey(key), expiresIn);

    /// <inheritdoc/>
    protected override ValueTask<Uri> PresignAsyncCore(string key, HttpMethod method, TimeSpan expiresIn, CancellationToken cancellationToken) =>
        method == HttpMethod.Put
            ? Inner.PresignPutUrlAsync(MapKey(key), expiresIn, cancellationToken)
            : Inner.PresignGetUrlAsync(MapKey(key), expiresIn, cancellationToken);

    /// <inheritdoc/>
    protected override IEnumerable<string> KeysCore(string prefix) => Inner.Keys(MapPrefix(prefix)).Select(UnmapKey);

    /// <inheritdoc/>
    protected override async IAsyncEnumerable<string> KeysAsyncCore(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var key in Inner.KeysAsync(MapPrefix(prefix), cancellationToken).ConfigureAwait(false))
            yield return UnmapKey(key);
    }

    /// <inheritdoc/>
    protected override IEnumerable<ObjectInfo> ListCore(string prefix) => Inner.List(MapPrefix(prefix)).Select(info => Unmap(info)!);

    /// <inheritdoc/>
    protected override async IAsyncEnumerable<ObjectInfo> ListAsyncCore(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var info in Inner.ListAsync(MapPrefix(prefix), cancellationToken).ConfigureAwait(false))
            yield return Unmap(info)!;
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_leaveOpen) Inner.Dispose();
    }

    /// <inheritdoc/>
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
