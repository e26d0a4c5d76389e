namespace ObjectStorage;

/// <summary>
/// A fast store (the cache) in front of a slow one (the main store). Reads look in the cache first
/// and on a miss read the main store and fill the cache; a write or delete first drops the key from
/// the cache (so that no read hits the old bytes once the main store holds the new ones), then goes
/// to the main store, then writes the new bytes through to the cache. Listings and
/// <see cref="ObjectStore.Stat(string)"/> come from the main store, which is the store of record.
/// </summary>
/// <remarks>
/// <para>If the main store fails, the cache no longer holds the key (the next read goes to the main
/// store). If the main store succeeds and the cache then fails, the entry is removed from the cache and an <see cref="ObjectStoreException"/>
/// says the main store holds the new object (and whether the cache could be cleaned). Failures of
/// the cache while reading propagate too: nothing is swallowed.</para>
/// <para>Races: a read-through fill that overlaps any write, delete or invalidation through this
/// store is undone (the cache entry is removed) rather than left possibly stale, and writes that
/// overlap each other remove their cache entries instead of leaving whichever landed last. The cost
/// is an extra miss after contention. Writes made to the main store directly, not through this
/// store, are not seen: call <see cref="Invalidate(string)"/> or <see cref="Clear()"/>.</para>
/// <para>A streamed put (<see cref="ObjectStore.Put(string, Stream)"/>) invalidates the cache entry
/// instead of filling it, and <see cref="ObjectStore.OpenRead(string)"/> on a miss streams from the
/// main store without filling the cache, so large objects never have to fit in memory.</para>
/// </remarks>
public sealed class CachingStore : ObjectStore
{
    private readonly ObjectStore _main;
    private readonly ObjectStore _cache;
    private readonly bool _ownsStores;
    private readonly long _maxObjectBytes;
    private long _hits;
    private long _misses;
    private long _generation;
    private int _writesInFlight;

    /// <summary>Puts <paramref name="cache"/> in front of <paramref name="main"/>; the cache must be writable and deletable.</summary>
    public CachingStore(ObjectStore main, ObjectStore cache, CachingOptions? options = null)
    {
        _main = main ?? throw new ArgumentNullException(nameof(main));
        _cache = cache ?? throw new ArgumentNullException(nameof(cache));
        if (!cache.CanWrite || !cache.CanDelete) throw new ArgumentException($"{cache} cannot serve as a cache: it must accept puts and deletes.", nameof(cache));
        options ??= new CachingOptions();
        _ownsStores = options.OwnsStores;
        _maxObjectBytes = options.MaxObjectBytes ?? (cache as DictStore)?.Capacity ?? long.MaxValue;
    }

    /// <summary>The store of record.</summary>
    public ObjectStore Main => _main;

    /// <summary>The cache in front of it.</summary>
    public ObjectStore Cache => _cache;

    /// <inheritdoc/>
    protected override IEnumerable<ObjectStore> InnerStores => [_main, _cache];

    /// <summary>Reads (get or open) answered by the cache.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Reads (get or open) that went to the main store.</summary>
    public long Misses => Interlocked.Read(ref _misses);

    /// <inheritdoc/>
    public override bool CanWrite => _main.CanWrite;

    /// <inheritdoc/>
    public override bool CanDelete => _main.CanDelete;

    /// <inheritdoc/>
    public override bool CanList => _main.CanList;

    /// <inheritdoc/>
    public override bool CanPutIfNotExists => _main.CanPutIfNotExists;

    /// <inheritdoc/>
    public override string? ETagKind => _main.ETagKind;

    /// <summary>True when both stores read ranges natively: a range comes from the cache on a hit and from the main store on a miss (without filling the cache).</summary>
    public override bool IsRangeReadNative => _main.IsRangeReadNative && _cache.IsRangeReadNative;

    /// <summary>The main store's: batch deletes go to it as one batch, then to the cache as another.</summary>
    public override bool IsDeleteManyNative => _main.IsDeleteManyNative;

    /// <summary>The main store's: a batch put lands in it as one batch and then drops those keys from the cache.</summary>
    public override bool IsPutManyAtomic => _main.IsPutManyAtomic;

    /// <summary>The main store's: it keeps the metadata, and Stat and List ask it.</summary>
    public override MetadataSupport MetadataSupport => _main.MetadataSupport;

    // CanPresign stays false: a URL would read or write the main store behind the cache's back.

    /// <inheritdoc/>
    public override string ToString() => $"CachingStore({_main} cached in {_cache})";

    // ---- Invalidation ------------------------------------------------------------------------

    /// <summary>Drops <paramref name="key"/> from the cache; the next read goes to the main store.</summary>
    public void Invalidate(string key)
    {
        ThrowIfDisposed();
        ObjectKey.Validate(key);
        BeginWrite();
        try { _cache.Delete(key); }
        finally { EndWrite(); }
    }

    /// <inheritdoc cref="Invalidate(string)"/>
    public async ValueTask InvalidateAsync(string key, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        ObjectKey.Validate(key);
        BeginWrite();
        try { await _cache.DeleteAsync(key, cancellationToken).ConfigureAwait(false); }
        finally { EndWrite(); }
    }

    /// <summary>Empties the cache (its listing must be available); the main store is untouched.</summary>
    public void Clear()
    {
        ThrowIfDisposed();
        BeginWrite();
        try { _cache.DeletePrefix(""); }
        finally { EndWrite(); }
    }

    /// <inheritdoc cref="Clear()"/>
    public async ValueTask ClearAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        BeginWrite();
        try { await _cache.DeletePrefixAsync("", cancellationToken).ConfigureAwait(false); }
        finally { EndWrite(); }
    }

    // ---- Reads -------------------------------------------------------------------------------

    /// <inheritdoc/>
    protected override byte[]? GetCore(string key)
    {
        if (_cache.TryGet(key, out var cached))
        {
            Interlocked.Increment(ref _hits);
            return cached;
        }
        Interlocked.Increment(ref _misses);
        var fill = BeginFill();
        if (!_main.TryGet(key, out var data)) return null;
        if (fill is { } generation && data.Length <= _maxObjectBytes)
        {
            _cache.Put(key, data);
            if (FillWasOverlapped(generation)) _cache.Delete(key);
        }
        return data;
    }

    /// <inheritdoc/>
    protected override async ValueTask<byte[]?> GetAsyncCore(string key, CancellationToken cancellationToken)
    {
        var cached = await _cache.TryGetAsync(key, cancellationToken).ConfigureAwait(false);
        if (cached is not null)
        {
            Interlocked.Increment(ref _hits);
            return cached;
        }
        Interlocked.Increment(ref _misses);
        var fill = BeginFill();
        var data = await _main.TryGetAsync(key, cancellationToken).ConfigureAwait(false);
        if (data is null) return null;
        if (fill is { } generation && data.Length <= _maxObjectBytes)
        {
            await _cache.PutAsync(key, data, cancellationToken).ConfigureAwait(false);
            if (FillWasOverlapped(generation)) await _cache.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
        }
        return data;
    }

    /// <inheritdoc/>
    protected override Stream? OpenReadCore(string key)
    {
        var cached = _cache.TryOpenRead(key);
        if (cached is not null)
        {
            Interlocked.Increment(ref _hits);
            return cached;
        }
        Interlocked.Increment(ref _misses);
        return _main.TryOpenRead(key);
    }

    /// <inheritdoc/>
    protected override async ValueTask<Stream?> OpenReadAsyncCore(string key, CancellationToken cancellationToken)
    {
        var cached = await _cache.TryOpenReadAsync(key, cancellationToken).ConfigureAwait(false);
        if (cached is not null)
        {
            Interlocked.Increment(ref _hits);
            return cached;
        }
        Interlocked.Increment(ref _misses);
        return await _main.TryOpenReadAsync(key, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    protected override Stream? OpenRangeCore(string key, long offset, long? length)
    {
        var cached = _cache.TryOpenRead(key, offset, length);
        if (cached is not null)
        {
            Interlocked.Increment(ref _hits);
            return cached;
        }
        Interlocked.Increment(ref _misses);
        return _main.TryOpenRead(key, offset, length);
    }

    /// <inheritdoc/>
    protected override async ValueTask<Stream?> OpenRangeAsyncCore(string key, long offset, long? length, CancellationToken cancellationToken)
    {
        var cached = await _cache.TryOpenReadAsync(key, offset, length, cancellationToken).ConfigureAwait(false);
        if (cached is not null)
        {
            Interlocked.Increment(ref _hits);
            return cached;
        }
        Interlocked.Increment(ref _misses);
        return await _main.TryOpenReadAsync(key, offset, length, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    protected override bool ExistsCore(string key) => _cache.Exists(key) || _main.Exists(key);

    /// <inheritdoc/>
    protected override async ValueTask<bool> ExistsAsyncCore(string key, CancellationToken cancellationToken) =>
        await _cache.ExistsAsync(key, cancellationToken).ConfigureAwait(false) || await _main.ExistsAsync(key, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    protected override ObjectInfo? StatCore(string key) => _main.Stat(key);

    /// <inheritdoc/>
    protected override ValueTask<ObjectInfo?> StatAsyncCore(string key, CancellationToken cancellationToken) => _main.StatAsync(key, cancellationToken);

    // ---- Writes ------------------------------------------------------------------------------

    /// <inheritdoc/>
    protected override void PutCore(string key, ReadOnlyMemory<byte> data, PutOptions options)
    {
        var write = BeginWrite();
        try
        {
            DropBeforeWrite(key);
            _main.Put(key, data, options);
            WriteThrough(key, write, data, options);
        }
        finally { EndWrite(); }
    }

    /// <inheritdoc/>
    protected override async ValueTask PutAsyncCore(string key, ReadOnlyMemory<byte> data, PutOptions options, CancellationToken cancellationToken)
    {
        var write = BeginWrite();
        try
        {
            await DropBeforeWriteAsync(key, cancellationToken).ConfigureAwait(false);
            await _main.PutAsync(key, data, options, cancellationToken).ConfigureAwait(false);
            await WriteThroughAsync(key, write, data, options, cancellationToken).ConfigureAwait(false);
        }
        finally { EndWrite(); }
    }

    /// <inheritdoc/>
    protected override void PutStreamCore(string key, Stream data, PutOptions options)
    {
        var write = BeginWrite();
        try
        {
            DropBeforeWrite(key);
            _main.Put(key, data, options);
            WriteThrough(key, write, null, options);
        }
        finally { EndWrite(); }
    }

    /// <inheritdoc/>
    protected override async ValueTask PutStreamAsyncCore(string key, Stream data, PutOptions options, CancellationToken cancellationToken)
    {
        var write = BeginWrite();
        try
        {
            await DropBeforeWriteAsync(key, cancellationToken).ConfigureAwait(false);
            await _main.PutAsync(key, data, options, cancellationToken).ConfigureAwait(false);
            await WriteThroughAsync(key, write, null, options, cancellationToken).ConfigureAwait(false);
        }
        finally { EndWrite(); }
    }

    /// <inheritdoc/>
    protected override bool PutIfNotExistsCore(string key, ReadOnlyMemory<byte> data, PutOptions options)
    {
        var write = BeginWrite();
        try
        {
            DropBeforeWrite(key);
            if (!_main.PutIfNotExists(key, data, options)) return false;
            WriteThrough(key, write, data, options);
            return true;
        }
        finally { EndWrite(); }
    }

    /// <inheritdoc/>
    protected override async ValueTask<bool> PutIfNotExistsAsyncCore(string key, ReadOnlyMemory<byte> data, PutOptions options, CancellationToken cancellationToken)
    {
        var write = BeginWrite();
        try
        {
            await DropBeforeWriteAsync(key, cancellationToken).ConfigureAwait(false);
            if (!await _main.PutIfNotExistsAsync(key, data, options, cancellationToken).ConfigureAwait(false)) return false;
            await WriteThroughAsync(key, write, data, options, cancellationToken).ConfigureAwait(false);
            return true;
        }
        finally { EndWrite(); }
    }

    /// <inheritdoc/>
    protected override void DeleteCore(string key)
    {
        var write = BeginWrite();
        try
        {
            DropBeforeWrite(key);
            _main.Delete(key);
            WriteThrough(key, write, null, PutOptions.None);
        }
        finally { EndWrite(); }
    }

    /// <inheritdoc/>
    protected override async ValueTask DeleteAsyncCore(string key, CancellationToken cancellationToken)
    {
        var write = BeginWrite();
        try
        {
            await DropBeforeWriteAsync(key, cancellationToken).ConfigureAwait(false);
            await _main.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
            await WriteThroughAsync(key, write, null, PutOptions.None, cancellationToken).ConfigureAwait(false);
        }
        finally { EndWrite(); }
    }

    // ---- Batches: the main store first, then the keys leave the cache --------------------------

    /// <inheritdoc/>
    protected override void PutManyCore(IReadOnlyList<KeyValuePair<string, ReadOnlyMemory<byte>>> objects)
    {
        BeginWrite();
        try
        {
            _main.PutMany(objects);
            DropFromCache(objects[0].Key, () => _cache.DeleteMany(objects.Select(static o => o.Key)));
        }
        finally { EndWrite(); }
    }

    /// <inheritdoc/>
    protected override async ValueTask PutManyAsyncCore(IReadOnlyList<KeyValuePair<string, ReadOnlyMemory<byte>>> objects, CancellationToken cancellationToken)
    {
        BeginWrite();
        try
        {
            await _main.PutManyAsync(objects, cancellationToken).ConfigureAwait(false);
            await DropFromCacheAsync(objects[0].Key, () => _cache.DeleteManyAsync(objects.Select(static o => o.Key), cancellationToken)).ConfigureAwait(false);
        }
        finally { EndWrite(); }
    }

    /// <inheritdoc/>
    protected override void DeleteManyCore(IReadOnlyList<string> keys)
    {
        BeginWrite();
        try
        {
            _main.DeleteMany(keys);
            DropFromCache(keys[0], () => _cache.DeleteMany(keys));
        }
        finally { EndWrite(); }
    }

    /// <inheritdoc/>
    protected override async ValueTask DeleteManyAsyncCore(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        BeginWrite();
        try
        {
            await _main.DeleteManyAsync(keys, cancellationToken).ConfigureAwait(false);
            await DropFromCacheAsync(keys[0], () => _cache.DeleteManyAsync(keys, cancellationToken)).ConfigureAwait(false);
        }
        finally { EndWrite(); }
    }

    /// <summary>Deletes under the prefix in the main store (the count is its), then in the cache.</summary>
    protected override long DeletePrefixCore(string prefix)
    {
        BeginWrite();
        try
        {
            var deleted = _main.DeletePrefix(prefix);
            DropFromCache(prefix, () => _cache.DeletePrefix(prefix));
            return deleted;
        }
        finally { EndWrite(); }
    }

    /// <inheritdoc cref="DeletePrefixCore(string)"/>
    protected override async ValueTask<long> DeletePrefixAsyncCore(string prefix, CancellationToken cancellationToken)
    {
        BeginWrite();
        try
        {
            var deleted = await _main.DeletePrefixAsync(prefix, cancellationToken).ConfigureAwait(false);
            await DropFromCacheAsync(prefix, () => _cache.DeletePrefixAsync(prefix, cancellationToken)).ConfigureAwait(false);
            return deleted;
        }
        finally { EndWrite(); }
    }

    // ---- Listing: the main store's -----------------------------------------------------------

    /// <inheritdoc/>
    protected override IEnumerable<string> KeysCore(string prefix) => _main.Keys(prefix);

    /// <inheritdoc/>
    protected override IAsyncEnumerable<string> KeysAsyncCore(string prefix, CancellationToken cancellationToken) => _main.KeysAsync(prefix, cancellationToken);

    /// <inheritdoc/>
    protected override IEnumerable<ObjectInfo> ListCore(string prefix) => _main.List(prefix);

    /// <inheritdoc/>
    protected override IAsyncEnumerable<ObjectInfo> ListAsyncCore(string prefix, CancellationToken cancellationToken) => _main.ListAsync(prefix, cancellationToken);

    // ---- Disposal ----------------------------------------------------------------------------

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (!disposing || !_ownsStores) return;
        try { _main.Dispose(); }
        finally { _cache.Dispose(); }
    }

    /// <inheritdoc/>
    protected override async ValueTask DisposeAsyncCore()
    {
        if (!_ownsStores) return;
        try { await _main.DisposeAsync().ConfigureAwait(false); }
        finally { await _cache.DisposeAsync().ConfigureAwait(false); }
    }

    // ---- Keeping the cache consistent --------------------------------------------------------

    // A write (or delete, or invalidation) through this store. Overlapped: another was in flight when it began.
    private readonly record struct Write(long Generation, bool Overlapped);

    private Write BeginWrite()
    {
        bool overlapped = Interlocked.Increment(ref _writesInFlight) > 1;
        return new Write(Interlocked.Increment(ref _generation), overlapped);
    }

    private void EndWrite() => Interlocked.Decrement(ref _writesInFlight);

    // A fill may start only while no write is in flight; it is undone if any write began meanwhile.
    private long? BeginFill()
    {
        long generation = Interlocked.Read(ref _generation);
        return Volatile.Read(ref _writesInFlight) == 0 ? generation : null;
    }

    private bool FillWasOverlapped(long generation) =>
        Interlocked.Read(ref _generation) != generation || Volatile.Read(ref _writesInFlight) != 0;

    // Before the main store changes, the cache stops answering for the key: otherwise a read could hit
    // the old bytes after the main store (and its listings) already show the new ones.
    private void DropBeforeWrite(string key)
    {
        try
        {
            _cache.Delete(key);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw NothingChanged(key, ex);
        }
    }

    private async ValueTask DropBeforeWriteAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            await _cache.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw NothingChanged(key, ex);
        }
    }

    private ObjectStoreException NothingChanged(string key, Exception error) =>
        Failure(key, $"the cache {_cache} could not drop the key before the write, so the main store {_main} was not changed", error);

    // After the main store took the write: cache the new bytes (or drop the entry when data is
    // null or too large), and drop it after all if another write overlapped this one, so that
    // every overlapped write ends with a delete and no older value outlives a newer one. The cache
    // keeps what metadata it can beside the bytes, though Stat and List answer from the main store.
    private void WriteThrough(string key, Write write, ReadOnlyMemory<byte>? data, PutOptions options)
    {
        try
        {
            if (data is { } bytes && bytes.Length <= _maxObjectBytes) _cache.Put(key, bytes, options.Keeping(_cache.MetadataSupport.Kept));
            else _cache.Delete(key);
            if (write.Overlapped || Interlocked.Read(ref _generation) != write.Generation) _cache.Delete(key);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw CacheFailure(key, ex, TryDrop(key));
        }
    }

    private async ValueTask WriteThroughAsync(string key, Write write, ReadOnlyMemory<byte>? data, PutOptions options, CancellationToken cancellationToken)
    {
        try
        {
            if (data is { } bytes && bytes.Length <= _maxObjectBytes) await _cache.PutAsync(key, bytes, options.Keeping(_cache.MetadataSupport.Kept), cancellationToken).ConfigureAwait(false);
            else await _cache.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
            if (write.Overlapped || Interlocked.Read(ref _generation) != write.Generation) await _cache.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw CacheFailure(key, ex, TryDrop(key));
        }
        catch (OperationCanceledException)
        {
            TryDrop(key);
            throw;
        }
    }

    // After a batch reached the main store: its keys leave the cache, or the caller learns they may not have.
    private void DropFromCache(string key, Func<long> drop)
    {
        try { drop(); }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw CacheFailure(key, ex, dropped: false);
        }
    }

    private async ValueTask DropFromCacheAsync(string key, Func<ValueTask<long>> drop)
    {
        try { await drop().ConfigureAwait(false); }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw CacheFailure(key, ex, dropped: false);
        }
    }

    private bool TryDrop(string key)
    {
        try
        {
            _cache.Delete(key);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return false;
        }
    }

    private ObjectStoreException CacheFailure(string key, Exception error, bool dropped) => Failure(key,
        $"the main store {_main} took the change but the cache {_cache} failed; " +
        (dropped ? "the key was removed from the cache, so reads go to the main store" : "the cache could not be cleaned and may still hold the previous object: call Invalidate"),
        error);
}
