namespace ObjectStorage;

// Batch delete, prefix delete and batch put. Every key of a batch is checked before anything is
// done, so a bad key changes nothing. The fallbacks loop over the single operations; they stop at
// the first failure, and what was done before it stays done (IsPutManyAtomic says where not).
public abstract partial class ObjectStore
{
    private const int PrefixDeleteBatch = 1000;

    /// <summary>
    /// Deletes the given keys (missing ones are not an error) and returns how many were given.
    /// Batched on the medium where <see cref="IsDeleteManyNative"/>, otherwise one delete per key,
    /// stopping at the first failure with the keys before it deleted.
    /// </summary>
    public long DeleteMany(IEnumerable<string> keys)
    {
        var batch = CheckDeleteMany(keys);
        var op = StoreOperation.Start(this, StoreOperations.DeleteMany, BatchTag(batch));
        try
        {
            if (batch.Count > 0) DeleteManyCore(batch);
            op.Succeeded();
            return batch.Count;
        }
        catch (Exception e) when (op.Failed(e))
        {
            throw;
        }
    }

    /// <inheritdoc cref="DeleteMany(IEnumerable{string})"/>
    public async ValueTask<long> DeleteManyAsync(IEnumerable<string> keys, CancellationToken cancellationToken = default)
    {
        var batch = CheckDeleteMany(keys);
        var op = StoreOperation.Start(this, StoreOperations.DeleteMany, BatchTag(batch));
        try
        {
            if (batch.Count > 0) await DeleteManyAsyncCore(batch, cancellationToken).ConfigureAwait(false);
            op.Succeeded();
            return batch.Count;
        }
        catch (Exception e) when (op.Failed(e))
        {
            throw;
        }
    }

    /// <summary>
    /// Deletes every object whose key starts with <paramref name="prefix"/> ("" empties the store)
    /// and returns how many. Needs <see cref="ObjectStore.CanList"/> and <see cref="CanDelete"/>; throws
    /// <see cref="ObjectStoreException"/> when deleted keys keep being listed.
    /// </summary>
    public long DeletePrefix(string prefix)
    {
        CheckDeletePrefix(prefix);
        var op = StoreOperation.Start(this, StoreOperations.DeletePrefix, prefix);
        try
        {
            var deleted = DeletePrefixCore(prefix);
            op.Succeeded();
            return deleted;
        }
        catch (Exception e) when (op.Failed(e))
        {
            throw;
        }
    }

    /// <inheritdoc cref="DeletePrefix(string)"/>
    public ValueTask<long> DeletePrefixAsync(string prefix, CancellationToken cancellationToken = default)
    {
        CheckDeletePrefix(prefix);
        return ObjectStoreTelemetry.IsEnabled
            ? ObserveAsync(StoreOperations.DeletePrefix, prefix, 0, cancellationToken, static (s, p, _, c) => s.DeletePrefixAsyncCore(p, c), static (_, _) => -1)
            : DeletePrefixAsyncCore(prefix, cancellationToken);
    }

    /// <summary>
    /// Stores every object, replacing those there; atomically (all or none) where
    /// <see cref="IsPutManyAtomic"/>, otherwise one put after another, stopping at the first failure.
    /// </summary>
    public void PutMany(IEnumerable<KeyValuePair<string, ReadOnlyMemory<byte>>> objects)
    {
        var batch = CheckPutMany(objects);
        var op = StoreOperation.Start(this, StoreOperations.PutMany, BatchTag(batch));
        try
        {
            if (batch.Count > 0) PutManyCore(batch);
            op.Succeeded(batch.Sum(static o => (long)o.Value.Length));
        }
        catch (Exception e) when (op.Failed(e))
        {
            throw;
        }
    }

    /// <inheritdoc cref="PutMany(IEnumerable{KeyValuePair{string, ReadOnlyMemory{byte}}})"/>
    public async ValueTask PutManyAsync(IEnumerable<KeyValuePair<string, ReadOnlyMemory<byte>>> objects, CancellationToken cancellationToken = default)
    {
        var batch = CheckPutMany(objects);
        var op = StoreOperation.Start(this, StoreOperations.PutMany, BatchTag(batch));
        try
        {
            if (batch.Count > 0) await PutManyAsyncCore(batch, cancellationToken).ConfigureAwait(false);
            op.Succeeded(batch.Sum(static o => (long)o.Value.Length));
        }
        catch (Exception e) when (op.Failed(e))
        {
            throw;
        }
    }

    /// <summary>Deletes the checked, non-empty list of keys. By default one <see cref="DeleteCore(string)"/> per key.</summary>
    protected virtual void DeleteManyCore(IReadOnlyList<string> keys)
    {
        if (Has(Overrides.DeleteManyAsync))
        {
            RunSync(() => DeleteManyAsyncCore(keys, CancellationToken.None));
            return;
        }
        foreach (var key in keys) DeleteCore(key);
    }

    /// <inheritdoc cref="DeleteManyCore(IReadOnlyList{string})"/>
    protected virtual async ValueTask DeleteManyAsyncCore(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (Has(Overrides.DeleteMany))
        {
            DeleteManyCore(keys);
            return;
        }
        foreach (var key in keys)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await DeleteAsyncCore(key, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Deletes the objects under the prefix; returns how many. By default lists up to 1,000 keys,
    /// deletes them with <see cref="DeleteManyCore(IReadOnlyList{string})"/>, and lists again until
    /// none are left, so that no medium's listing is walked while it is being deleted from.
    /// </summary>
    protected virtual long DeletePrefixCore(string prefix)
    {
        if (Has(Overrides.DeletePrefixAsync)) return RunSync(() => DeletePrefixAsyncCore(prefix, CancellationToken.None));
        long deleted = 0;
        string? previousFirst = null;
        while (true)
        {
            var batch = KeysCore(prefix).Take(PrefixDeleteBatch).ToList();
            if (batch.Count == 0) return deleted;
            ThrowIfStillListed(batch[0], previousFirst);
            DeleteManyCore(batch);
            deleted += batch.Count;
            if (batch.Count < PrefixDeleteBatch) return deleted;
            previousFirst = batch[0];
        }
    }

    /// <inheritdoc cref="DeletePrefixCore(string)"/>
    protected virtual async ValueTask<long> DeletePrefixAsyncCore(string prefix, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (Has(Overrides.DeletePrefix)) return DeletePrefixCore(prefix);
        long deleted = 0;
        string? previousFirst = null;
        while (true)
        {
            var batch = new List<string>(PrefixDeleteBatch);
            await foreach (var key in KeysAsyncCore(prefix, cancellationToken).ConfigureAwait(false))
            {
                batch.Add(key);
                if (batch.Count == PrefixDeleteBatch) break;
            }
            if (batch.Count == 0) return deleted;
            ThrowIfStillListed(batch[0], previousFirst);
            await DeleteManyAsyncCore(batch, cancellationToken).ConfigureAwait(false);
            deleted += batch.Count;
            if (batch.Count < PrefixDeleteBatch) return deleted;
            previousFirst = batch[0];
        }
    }

    /// <summary>Stores the checked, non-empty list of objects. By default one <see cref="PutCore(string, ReadOnlyMemory{byte}, PutOptions)"/> per object, without metadata.</summary>
    protected virtual void PutManyCore(IReadOnlyList<KeyValuePair<string, ReadOnlyMemory<byte>>> objects)
    {
        if (Has(Overrides.PutManyAsync))
        {
            RunSync(() => PutManyAsyncCore(objects, CancellationToken.None));
            return;
        }
        foreach (var (key, data) in objects) PutCore(key, data, PutOptions.None);
    }

    /// <inheritdoc cref="PutManyCore(IReadOnlyList{KeyValuePair{string, ReadOnlyMemory{byte}}})"/>
    protected virtual async ValueTask PutManyAsyncCore(IReadOnlyList<KeyValuePair<string, ReadOnlyMemory<byte>>> objects, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (Has(Overrides.PutMany))
        {
            PutManyCore(objects);
            return;
        }
        foreach (var (key, data) in objects)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await PutAsyncCore(key, data, PutOptions.None, cancellationToken).ConfigureAwait(false);
        }
    }

    private List<string> CheckDeleteMany(IEnumerable<string> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ThrowIfDisposed();
        if (!CanDelete) throw Unsupported("DeleteMany", "it does not allow deletes (CanDelete is false)");
        var batch = keys.ToList();
        foreach (var key in batch) ObjectKey.Validate(key);
        return batch;
    }

    private void CheckDeletePrefix(string prefix)
    {
        ThrowIfDisposed();
        ObjectKey.ValidatePrefix(prefix);
        if (!CanDelete) throw Unsupported("DeletePrefix", "it does not allow deletes (CanDelete is false)");
        if (!CanList) throw Unsupported("DeletePrefix", "it cannot enumerate its keys (CanList is false)");
    }

    private List<KeyValuePair<string, ReadOnlyMemory<byte>>> CheckPutMany(IEnumerable<KeyValuePair<string, ReadOnlyMemory<byte>>> objects)
    {
        ArgumentNullException.ThrowIfNull(objects);
        ThrowIfDisposed();
        if (!CanWrite) throw Unsupported("PutMany", "it is read-only (CanWrite is false)");
        var batch = objects.ToList();
        foreach (var (key, _) in batch) ObjectKey.Validate(key);
        return batch;
    }

    // The span's key tag for a batch: its first key and how many follow.
    private static string BatchTag(IReadOnlyList<string> keys) => BatchTag(keys.Count == 0 ? "" : keys[0], keys.Count);

    private static string BatchTag(IReadOnlyList<KeyValuePair<string, ReadOnlyMemory<byte>>> objects) =>
        BatchTag(objects.Count == 0 ? "" : objects[0].Key, objects.Count);

    private static string BatchTag(string first, int count) => count <= 1 ? first : $"{first} (+{count - 1} more)";

    private void ThrowIfStillListed(string first, string? previousFirst)
    {
        if (first == previousFirst)
            throw Failure(first, "the key is still listed after it was deleted; the prefix cannot be cleared");
    }
}
