using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace ObjectStorage;

/// <summary>One route of a <see cref="RoutingStore"/>: keys that <paramref name="Pattern"/> matches at their start go to <paramref name="Store"/>.</summary>
/// <param name="Pattern">Matched against the key from its first character, as Python's <c>re.match</c> does; end it with <c>$</c> to match whole keys.</param>
/// <param name="Store">Where the matching keys live.</param>
public sealed record StoreRoute(Regex Pattern, ObjectStore Store);

/// <summary>
/// Sends each key to one of several stores by regular expression, as the Python original's routing
/// store: the first route whose pattern matches the key wins, and a key no route matches goes to
/// the default store. Every operation on a key reaches only that key's store.
/// </summary>
/// <remarks>
/// A listing asks each distinct store for the prefix, keeps from each only the keys that route to
/// it (a key that sits in a store it does not route to is invisible here, as a read of it would go
/// elsewhere), and merges them in key order as they stream. Batch puts and deletes are split by
/// store and are not atomic across stores; a prefix delete deletes what the listing shows. The
/// stores are disposed with the router unless <c>leaveOpen</c>; one store may serve several routes.
/// </remarks>
public sealed class RoutingStore : ObjectStore
{
    private readonly StoreRoute[] _routes;
    private readonly ObjectStore[] _stores;
    private readonly bool _leaveOpen;

    /// <summary>Routes keys by <paramref name="routes"/> in order, and every other key to <paramref name="defaultStore"/>.</summary>
    public RoutingStore(IEnumerable<StoreRoute> routes, ObjectStore defaultStore, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(routes);
        Default = defaultStore ?? throw new ArgumentNullException(nameof(defaultStore));
        _routes = [.. routes];
        if (_routes.Any(static r => r is null || r.Pattern is null || r.Store is null))
            throw new ArgumentException("A route, or its pattern or store, is null.", nameof(routes));
        _stores = [.. _routes.Select(static r => r.Store).Append(Default).Distinct(ReferenceEqualityComparer.Instance).Cast<ObjectStore>()];
        _leaveOpen = leaveOpen;
    }

    /// <summary>The routes, in the order they are tried.</summary>
    public IReadOnlyList<StoreRoute> Routes => _routes;

    /// <summary>Where keys that no route matches go.</summary>
    public ObjectStore Default { get; }

    /// <summary>The store that holds <paramref name="key"/>: the first route's whose pattern matches it, else <see cref="Default"/>.</summary>
    public ObjectStore StoreFor(string key)
    {
        foreach (var route in _routes)
            if (route.Pattern.Match(key) is { Success: true, Index: 0 }) return route.Store;
        return Default;
    }

    /// <inheritdoc/>
    protected override IEnumerable<ObjectStore> InnerStores => _stores;

    /// <summary>True when some store accepts puts; a put routed to one that does not throws its <see cref="NotSupportedException"/>.</summary>
    public override bool CanWrite => _stores.Any(static s => s.CanWrite);

    /// <summary>True when some store accepts deletes; a delete routed to one that does not throws its <see cref="NotSupportedException"/>.</summary>
    public override bool CanDelete => _stores.Any(static s => s.CanDelete);

    /// <inheritdoc/>
    public override bool CanList => _stores.All(static s => s.CanList);

    /// <inheritdoc/>
    public override bool CanPutIfNotExists => _stores.All(static s => s.CanPutIfNotExists);

    /// <inheritdoc/>
    public override bool IsRangeReadNative => _stores.All(static s => s.IsRangeReadNative);

    /// <inheritdoc/>
    public override bool CanPresign => _stores.All(static s => s.CanPresign);

    /// <inheritdoc/>
    public override MetadataSupport MetadataSupport => MetadataSupport.Common(_stores);

    /// <inheritdoc/>
    public override string? ETagKind => _stores.Select(static s => s.ETagKind).Distinct().ToArray() is [{ } kind] ? kind : null;

    /// <inheritdoc/>
    public override string ToString() =>
        $"RoutingStore({string.Join(", ", _routes.Select(static r => $"{r.Pattern} -> {r.Store}"))}, default {Default})";

    // ---- One key, one store ------------------------------------------------------------------

    /// <inheritdoc/>
    protected override byte[]? GetCore(string key) => StoreFor(key).TryGet(key, out var data) ? data : null;

    /// <inheritdoc/>
    protected override ValueTask<byte[]?> GetAsyncCore(string key, CancellationToken cancellationToken) => StoreFor(key).TryGetAsync(key, cancellationToken);

    /// <inheritdoc/>
    protected override Stream? OpenReadCore(string key) => StoreFor(key).TryOpenRead(key);

    /// <inheritdoc/>
    protected override ValueTask<Stream?> OpenReadAsyncCore(string key, CancellationToken cancellationToken) =>
        StoreFor(key).TryOpenReadAsync(key, cancellationToken);

    /// <inheritdoc/>
    protected override Stream? OpenRangeCore(string key, long offset, long? length) => StoreFor(key).TryOpenRead(key, offset, length);

    /// <inheritdoc/>
    protected override ValueTask<Stream?> OpenRangeAsyncCore(string key, long offset, long? length, CancellationToken cancellationToken) =>
        StoreFor(key).TryOpenReadAsync(key, offset, length, cancellationToken);

    /// <inheritdoc/>
    protected override void PutCore(string key, ReadOnlyMemory<byte> data, PutOptions options) => StoreFor(key).Put(key, data, options);

    /// <inheritdoc/>
    protected override ValueTask PutAsyncCore(string key, ReadOnlyMemory<byte> data, PutOptions options, CancellationToken cancellationToken) =>
        StoreFor(key).PutAsync(key, data, options, cancellationToken);

    /// <inheritdoc/>
    protected override void PutStreamCore(string key, Stream data, PutOptions options) => StoreFor(key).Put(key, data, options);

    /// <inheritdoc/>
    protected override ValueTask PutStreamAsyncCore(string key, Stream data, PutOptions options, CancellationToken cancellationToken) =>
        StoreFor(key).PutAsync(key, data, options, cancellationToken);

    /// <inheritdoc/>
    protected override bool PutIfNotExistsCore(string key, ReadOnlyMemory<byte> data, PutOptions options) => StoreFor(key).PutIfNotExists(key, data, options);

    /// <inheritdoc/>
    protected override ValueTask<bool> PutIfNotExistsAsyncCore(string key, ReadOnlyMemory<byte> data, PutOptions options, CancellationToken cancellationToken) =>
        StoreFor(key).PutIfNotExistsAsync(key, data, options, cancellationToken);

    /// <inheritdoc/>
    protected override bool ExistsCore(string key) => StoreFor(key).Exists(key);

    /// <inheritdoc/>
    protected override ValueTask<bool> ExistsAsyncCore(string key, CancellationToken cancellationToken) => StoreFor(key).ExistsAsync(key, cancellationToken);

    /// <inheritdoc/>
    protected override ObjectInfo? StatCore(string key) => StoreFor(key).Stat(key);

    /// <inheritdoc/>
    protected override ValueTask<ObjectInfo?> StatAsyncCore(string key, CancellationToken cancellationToken) => StoreFor(key).StatAsync(key, cancellationToken);

    /// <inheritdoc/>
    protected override void DeleteCore(string key) => StoreFor(key).Delete(key);

    /// <inheritdoc/>
    protected override ValueTask DeleteAsyncCore(string key, CancellationToken cancellationToken) => StoreFor(key).DeleteAsync(key, cancellationToken);

    /// <inheritdoc/>
    protected override Uri PresignCore(string key, HttpMethod method, TimeSpan expiresIn) =>
        method == HttpMethod.Put ? StoreFor(key).PresignPutUrl(key, expiresIn) : StoreFor(key).PresignGetUrl(key, expiresIn);

    /// <inheritdoc/>
    protected override ValueTask<Uri> PresignAsyncCore(string key, HttpMethod method, TimeSpan expiresIn, CancellationToken cancellationToken) =>
        method == HttpMethod.Put
            ? StoreFor(key).PresignPutUrlAsync(key, expiresIn, cancellationToken)
            : StoreFor(key).PresignGetUrlAsync(key, expiresIn, cancellationToken);

    // ---- Batches, split by store -------------------------------------------------------------

    /// <inheritdoc/>
    protected override void PutManyCore(IReadOnlyList<KeyValuePair<string, ReadOnlyMemory<byte>>> objects)
    {
        foreach (var group in objects.GroupBy(o => StoreFor(o.Key))) group.Key.PutMany(group);
    }

    /// <inheritdoc/>
    protected override async ValueTask PutManyAsyncCore(IReadOnlyList<KeyValuePair<string, ReadOnlyMemory<byte>>> objects, CancellationToken cancellationToken)
    {
        foreach (var group in objects.GroupBy(o => StoreFor(o.Key))) await group.Key.PutManyAsync(group, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    protected override void DeleteManyCore(IReadOnlyList<string> keys)
    {
        foreach (var group in keys.GroupBy(StoreFor)) group.Key.DeleteMany(group);
    }

    /// <inheritdoc/>
    protected override async ValueTask DeleteManyAsyncCore(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        foreach (var group in keys.GroupBy(StoreFor)) await group.Key.DeleteManyAsync(group, cancellationToken).ConfigureAwait(false);
    }

    // ---- Listing -----------------------------------------------------------------------------

    /// <inheritdoc/>
    protected override IEnumerable<string> KeysCore(string prefix) =>
        OrderedMerge.Union([.. _stores.Select(store => store.Keys(prefix).Where(key => StoreFor(key) == store))], static key => key);

    /// <inheritdoc/>
    protected override IAsyncEnumerable<string> KeysAsyncCore(string prefix, CancellationToken cancellationToken) =>
        OrderedMerge.UnionAsync([.. _stores.Select(store => Routed(store.KeysAsync(prefix, cancellationToken), store, static key => key, cancellationToken))],
            static key => key, cancellationToken);

    /// <inheritdoc/>
    protected override IEnumerable<ObjectInfo> ListCore(string prefix) =>
        OrderedMerge.Union([.. _stores.Select(store => store.List(prefix).Where(info => StoreFor(info.Key) == store))], static info => info.Key);

    /// <inheritdoc/>
    protected override IAsyncEnumerable<ObjectInfo> ListAsyncCore(string prefix, CancellationToken cancellationToken) =>
        OrderedMerge.UnionAsync([.. _stores.Select(store => Routed(store.ListAsync(prefix, cancellationToken), store, static info => info.Key, cancellationToken))],
            static info => info.Key, cancellationToken);

    // ---- Disposal ----------------------------------------------------------------------------

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (!disposing || _leaveOpen) return;
        foreach (var store in _stores) store.Dispose();
    }

    /// <inheritdoc/>
    protected override async ValueTask DisposeAsyncCore()
    {
        if (_leaveOpen) return;
        foreach (var store in _stores) await store.DisposeAsync().ConfigureAwait(false);
    }

    private async IAsyncEnumerable<T> Routed<T>(IAsyncEnumerable<T> items, ObjectStore store, Func<T, string> keyOf,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var item in items.WithCancellation(cancellationToken).ConfigureAwait(false))
            if (StoreFor(keyOf(item)) == store) yield return item;
    }
}
