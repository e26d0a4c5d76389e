namespace ObjectStorage;

/// <summary>
/// Replication across stores: puts and deletes reach every child (on the async side concurrently),
/// reads come from the first child in order that has the key, and listings are the ordered,
/// deduplicated union of the children's listings, merged as they stream.
/// </summary>
/// <remarks>
/// No child's failure is swallowed. A put or delete that fails on some children still runs on the
/// others, then throws <see cref="FanoutException"/> naming each child that failed and each that
/// succeeded. A read stops at the first child that fails (rather than serving a possibly older copy
/// from a later child) and throws the same exception. A streamed put reads its stream once into a
/// spool (memory up to 1 MiB, then a temporary file), so each child reads its own copy.
/// Create-only puts are not offered: they cannot be made atomic across several stores.
/// A ranged read comes from the first child that has the key (read repair needs the whole object,
/// so a range never repairs). Batch puts, batch deletes and prefix deletes go to every child as that
/// child's own batch; a batch put is not atomic across children. Presigned URLs are not offered: a
/// URL reaches one child and bypasses the others.
/// </remarks>
public sealed class FanoutStore : ObjectStore
{
    private static readonly object Present = new();
    private readonly ObjectStore[] _children;
    private readonly FanoutOptions _options;

    /// <summary>A fan-out over <paramref name="children"/>, in read order.</summary>
    public FanoutStore(IEnumerable<ObjectStore> children, FanoutOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(children);
        _children = children.ToArray();
        if (_children.Length == 0) throw new ArgumentException("A fan-out needs at least one child store.", nameof(children));
        if (_children.Any(c => c is null)) throw new ArgumentException("A child store is null.", nameof(children));
        _options = options ?? new FanoutOptions();
    }

    /// <inheritdoc cref="FanoutStore(IEnumerable{ObjectStore}, FanoutOptions?)"/>
    public FanoutStore(params ObjectStore[] children) : this(children, null) { }

    /// <summary>The children, in read order.</summary>
    public IReadOnlyList<ObjectStore> Children => _children;

    /// <inheritdoc/>
    protected override IEnumerable<ObjectStore> InnerStores => _children;

    /// <inheritdoc/>
    public override bool CanWrite => _children.All(c => c.CanWrite);

    /// <inheritdoc/>
    public override bool CanDelete => _children.All(c => c.CanDelete);

    /// <inheritdoc/>
    public override bool CanList => _children.All(c => c.CanList);

    /// <inheritdoc/>
    public override bool CanPutIfNotExists => false;

    /// <summary>What every child keeps and lists, at the coarsest child's time precision: a put reaches every child whole.</summary>
    public override MetadataSupport MetadataSupport => MetadataSupport.Common(_children);

    // Reads serve the first child's tag, so tags compare only when every child's are the same kind.
    /// <inheritdoc/>
    public override string? ETagKind =>
        _children.Select(c => c.ETagKind).Distinct().ToArray() is [{ } kind] ? kind : null;

    /// <summary>True when every child reads ranges natively.</summary>
    public override bool IsRangeReadNative => _children.All(c => c.IsRangeReadNative);

    /// <summary>True when every child deletes in batches natively.</summary>
    public override bool IsDeleteManyNative => _children.All(c => c.IsDeleteManyNative);

    /// <inheritdoc/>
    public override string ToString() => $"FanoutStore({string.Join(", ", _children.Select(c => c.ToString()))})";

    // ---- Reads -------------------------------------------------------------------------------

    /// <inheritdoc/>
    protected override byte[]? GetCore(string key)
    {
        var (data, at) = ReadFirst(key, "Get", c => c.TryGet(key, out var d) ? d : null);
        if (data is not null && _options.ReadRepair && at > 0) ToEach(key, RepairOperation(at), _children[..at], c => c.Put(key, data, RepairOptions(at, key, c)));
        return data;
    }

    /// <inheritdoc/>
    protected override async ValueTask<byte[]?> GetAsyncCore(string key, CancellationToken cancellationToken)
    {
        var (data, at) = await ReadFirstAsync(key, "Get", c => c.TryGetAsync(key, cancellationToken)).ConfigureAwait(false);
        if (data is not null && _options.ReadRepair && at > 0)
            await ToEachAsync(key, RepairOperation(at), _children[..at], async c =>
                await c.PutAsync(key, data, await RepairOptionsAsync(at, key, c, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
        return data;
    }

    /// <inheritdoc/>
    protected override Stream? OpenReadCore(string key)
    {
        var (stream, at) = ReadFirst(key, "OpenRead", c => c.TryOpenRead(key));
        if (stream is not null && _options.ReadRepair && at > 0)
        {
            try
            {
                ToEach(key, RepairOperation(at), _children[..at], c =>
                {
                    using var copy = _children[at].OpenRead(key);
                    c.Put(key, copy, RepairOptions(at, key, c));
                });
            }
            catch
            {
                stream.Dispose();
                throw;
            }
        }
        return stream;
    }

    /// <inheritdoc/>
    protected override async ValueTask<Stream?> OpenReadAsyncCore(string key, CancellationToken cancellationToken)
    {
        var (stream, at) = await ReadFirstAsync(key, "OpenRead", c => c.TryOpenReadAsync(key, cancellationToken)).ConfigureAwait(false);
        if (stream is not null && _options.ReadRepair && at > 0)
        {
            try
            {
                await ToEachAsync(key, RepairOperation(at), _children[..at], async c =>
                {
                    var copy = await _children[at].OpenReadAsync(key, cancellationToken).ConfigureAwait(false);
                    var options = await RepairOptionsAsync(at, key, c, cancellationToken).ConfigureAwait(false);
                    await using (copy.ConfigureAwait(false)) await c.PutAsync(key, copy, options, cancellationToken).ConfigureAwait(false);
                }).ConfigureAwait(false);
            }
            catch
            {
                await stream.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
        return stream;
    }

    /// <inheritdoc/>
    protected override Stream? OpenRangeCore(string key, long offset, long? length) =>
        ReadFirst(key, "OpenRead", c => c.TryOpenRead(key, offset, length)).Value;

    /// <inheritdoc/>
    protected override async ValueTask<Stream?> OpenRangeAsyncCore(string key, long offset, long? length, CancellationToken cancellationToken) =>
        (await ReadFirstAsync(key, "OpenRead", c => c.TryOpenReadAsync(key, offset, length, cancellationToken)).ConfigureAwait(false)).Value;

    /// <inheritdoc/>
    protected override bool ExistsCore(string key) => ReadFirst(key, "Exists", c => c.Exists(key) ? Present : null).Value is not null;

    /// <inheritdoc/>
    protected override async ValueTask<bool> ExistsAsyncCore(string key, CancellationToken cancellationToken) =>
        (await ReadFirstAsync(key, "Exists", async c => await c.ExistsAsync(key, cancellationToken).ConfigureAwait(false) ? Present : null).ConfigureAwait(false)).Value is not null;

    /// <inheritdoc/>
    protected override ObjectInfo? StatCore(string key) => ReadFirst(key, "Stat", c => c.Stat(key)).Value;

    /// <inheritdoc/>
    protected override async ValueTask<ObjectInfo?> StatAsyncCore(string key, CancellationToken cancellationToken) =>
        (await ReadFirstAsync(key, "Stat", c => c.StatAsync(key, cancellationToken)).ConfigureAwait(false)).Value;

    // A repaired copy carries the metadata of the child it was read from, as far as the repaired child keeps it.
    private PutOptions RepairOptions(int from, string key, ObjectStore to) =>
        _children[from].Stat(key) is { } info ? PutOptions.From(info).Keeping(to.MetadataSupport.Kept) : PutOptions.None;

    private async ValueTask<PutOptions> RepairOptionsAsync(int from, string key, ObjectStore to, CancellationToken cancellationToken) =>
        await _children[from].StatAsync(key, cancellationToken).ConfigureAwait(false) is { } info ? PutOptions.From(info).Keeping(to.MetadataSupport.Kept) : PutOptions.None;

    // ---- Writes ------------------------------------------------------------------------------

    /// <inheritdoc/>
    protected override void PutCore(string key, ReadOnlyMemory<byte> data, PutOptions options) => ToEach(key, "Put", _children, c => c.Put(key, data, options));

    /// <inheritdoc/>
    protected override async ValueTask PutAsyncCore(string key, ReadOnlyMemory<byte> data, PutOptions options, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await ToEachAsync(key, "Put", _children, c => c.PutAsync(key, data, options, cancellationToken)).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    protected override void PutStreamCore(string key, Stream data, PutOptions options)
    {
        if (_children.Length == 1)
        {
            ToEach(key, "Put", _children, c => c.Put(key, data, options));
            return;
        }
        using var spool = StreamSpool.Fill(data);
        ToEach(key, "Put", _children, c =>
        {
            using var copy = spool.OpenReader();
            c.Put(key, copy, options);
        });
    }

    /// <inheritdoc/>
    protected override async ValueTask PutStreamAsyncCore(string key, Stream data, PutOptions options, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_children.Length == 1)
        {
            await ToEachAsync(key, "Put", _children, c => c.PutAsync(key, data, options, cancellationToken)).ConfigureAwait(false);
            return;
        }
        var spool = await StreamSpool.FillAsync(data, cancellationToken).ConfigureAwait(false);
        await using (spool.ConfigureAwait(false))
        {
            await ToEachAsync(key, "Put", _children, async c =>
            {
                var copy = spool.OpenReader();
                await using (copy.ConfigureAwait(false)) await c.PutAsync(key, copy, options, cancellationToken).ConfigureAwait(false);
            }).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    protected override void DeleteCore(string key) => ToEach(key, "Delete", _children, c => c.Delete(key));

    /// <inheritdoc/>
    protected override async ValueTask DeleteAsyncCore(string key, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await ToEachAsync(key, "Delete", _children, c => c.DeleteAsync(key, cancellationToken)).ConfigureAwait(false);
    }

    // ---- Batches: each child's own ------------------------------------------------------------

    /// <inheritdoc/>
    protected override void PutManyCore(IReadOnlyList<KeyValuePair<string, ReadOnlyMemory<byte>>> objects) =>
        ToEach(objects[0].Key, "PutMany", _children, c => c.PutMany(objects));

    /// <inheritdoc/>
    protected override async ValueTask PutManyAsyncCore(IReadOnlyList<KeyValuePair<string, ReadOnlyMemory<byte>>> objects, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await ToEachAsync(objects[0].Key, "PutMany", _children, c => c.PutManyAsync(objects, cancellationToken)).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    protected override void DeleteManyCore(IReadOnlyList<string> keys) =>
        ToEach(keys[0], "DeleteMany", _children, c => c.DeleteMany(keys));

    /// <inheritdoc/>
    protected override async ValueTask DeleteManyAsyncCore(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await ToEachAsync(keys[0], "DeleteMany", _children, async c => await c.DeleteManyAsync(keys, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
    }

    /// <summary>Deletes under the prefix in every child; returns the largest count a child reported (the union's size is not known).</summary>
    protected override long DeletePrefixCore(string prefix)
    {
        var counts = new long[_children.Length];
        ToEach(prefix, "DeletePrefix", _children, c => counts[Array.IndexOf(_children, c)] = c.DeletePrefix(prefix));
        return counts.Max();
    }

    /// <inheritdoc cref="DeletePrefixCore(string)"/>
    protected override async ValueTask<long> DeletePrefixAsyncCore(string prefix, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var counts = new long[_children.Length];
        await ToEachAsync(prefix, "DeletePrefix", _children,
            async c => counts[Array.IndexOf(_children, c)] = await c.DeletePrefixAsync(prefix, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
        return counts.Max();
    }

    // ---- Listing -----------------------------------------------------------------------------

    /// <inheritdoc/>
    protected override IEnumerable<string> KeysCore(string prefix) =>
        OrderedMerge.Union(_children.Select(c => c.Keys(prefix)).ToArray(), static k => k);

    /// <inheritdoc/>
    protected override IAsyncEnumerable<string> KeysAsyncCore(string prefix, CancellationToken cancellationToken) =>
        OrderedMerge.UnionAsync(_children.Select(c => c.KeysAsync(prefix, cancellationToken)).ToArray(), static k => k, cancellationToken);

    /// <inheritdoc/>
    protected override IEnumerable<ObjectInfo> ListCore(string prefix) =>
        OrderedMerge.Union(_children.Select(c => c.List(prefix)).ToArray(), static i => i.Key);

    /// <inheritdoc/>
    protected override IAsyncEnumerable<ObjectInfo> ListAsyncCore(string prefix, CancellationToken cancellationToken) =>
        OrderedMerge.UnionAsync(_children.Select(c => c.ListAsync(prefix, cancellationToken)).ToArray(), static i => i.Key, cancellationToken);

    // ---- Disposal ----------------------------------------------------------------------------

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (!disposing || !_options.OwnsChildren) return;
        var errors = new List<Exception>();
        foreach (var child in _children)
        {
            try { child.Dispose(); }
            catch (Exception ex) { errors.Add(ex); }
        }
        if (errors.Count > 0) throw new AggregateException($"{this}: disposing its children failed.", errors);
    }

    /// <inheritdoc/>
    protected override async ValueTask DisposeAsyncCore()
    {
        if (!_options.OwnsChildren) return;
        var errors = new List<Exception>();
        foreach (var child in _children)
        {
            try { await child.DisposeAsync().ConfigureAwait(false); }
            catch (Exception ex) { errors.Add(ex); }
        }
        if (errors.Count > 0) throw new AggregateException($"{this}: disposing its children failed.", errors);
    }

    // ---- Helpers -----------------------------------------------------------------------------

    // The first child's answer that is not null, and that child's index; a failing child ends the search.
    private (T? Value, int At) ReadFirst<T>(string key, string operation, Func<ObjectStore, T?> read) where T : class
    {
        for (int i = 0; i < _children.Length; i++)
        {
            T? value;
            try
            {
                value = read(_children[i]);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                throw ReadFailure(key, operation, i, ex);
            }
            if (value is not null) return (value, i);
        }
        return (null, -1);
    }

    private async ValueTask<(T? Value, int At)> ReadFirstAsync<T>(string key, string operation, Func<ObjectStore, ValueTask<T?>> read) where T : class
    {
        for (int i = 0; i < _children.Length; i++)
        {
            T? value;
            try
            {
                value = await read(_children[i]).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                throw ReadFailure(key, operation, i, ex);
            }
            if (value is not null) return (value, i);
        }
        return (null, -1);
    }

    private FanoutException ReadFailure(string key, string operation, int failed, Exception error) =>
        new(ToString(), key, $"{operation} (children before it do not have the key)", [new FanoutFailure(_children[failed], error)], _children[..failed]);

    private string RepairOperation(int foundAt) => $"read repair (the object was read from {_children[foundAt]})";

    // Runs the write on every child, one after another, and reports every failure at the end.
    private void ToEach(string key, string operation, ObjectStore[] targets, Action<ObjectStore> write)
    {
        List<FanoutFailure>? failures = null;
        var succeeded = new List<ObjectStore>(targets.Length);
        foreach (var child in targets)
        {
            try
            {
                write(child);
                succeeded.Add(child);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                (failures ??= []).Add(new FanoutFailure(child, ex));
            }
        }
        if (failures is not null) throw new FanoutException(ToString(), key, operation, failures, succeeded);
    }

    // Starts the write on every child at once, waits for all, and reports every failure. Each
    // child starts on the thread pool, so children whose async side completes synchronously (local
    // media) also run side by side.
    private async ValueTask ToEachAsync(string key, string operation, ObjectStore[] targets, Func<ObjectStore, ValueTask> write)
    {
        var outcomes = await Task.WhenAll(targets.Select(child => Task.Run(async () =>
        {
            try
            {
                await write(child).ConfigureAwait(false);
                return null;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                return new FanoutFailure(child, ex);
            }
        }))).ConfigureAwait(false);
        var failures = outcomes.OfType<FanoutFailure>().ToList();
        if (failures.Count > 0)
            throw new FanoutException(ToString(), key, operation, failures, targets.Where((_, i) => outcomes[i] is null).ToList());
    }
}
