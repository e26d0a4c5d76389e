using System.Collections.Concurrent;

namespace ObjectStorage;

// The Python original's copy_store and clear_store.
public static partial class StoreSync
{
    private const int ClearBatch = 1000;
    private const int ClearParallelism = 8;

    /// <summary>
    /// Copies every object of <paramref name="source"/> into <paramref name="target"/>: only the
    /// keys the target lacks, or with <paramref name="overwrite"/> every key. Deletes nothing.
    /// </summary>
    public static SyncReport CopyStore(ObjectStore source, ObjectStore target, bool overwrite = false) =>
        Sync(source, target, CopyOptions(overwrite));

    /// <inheritdoc cref="CopyStore(ObjectStore, ObjectStore, bool)"/>
    public static Task<SyncReport> CopyStoreAsync(ObjectStore source, ObjectStore target, bool overwrite = false, CancellationToken cancellationToken = default) =>
        SyncAsync(source, target, CopyOptions(overwrite), cancellationToken);

    /// <summary>Deletes every object whose key starts with <paramref name="prefix"/> (all by default); returns how many were deleted.</summary>
    /// <exception cref="ObjectStoreException">Deleted keys keep being listed.</exception>
    public static long ClearStore(ObjectStore store, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(store);
        long deleted = 0;
        string? previousFirst = null;
        // Listing again after each batch, rather than deleting under a live listing, keeps every medium's walk valid.
        while (true)
        {
            var batch = store.Keys(prefix).Take(ClearBatch).ToList();
            if (batch.Count == 0) return deleted;
            ThrowIfStuck(store, batch[0], previousFirst);
            ForEachInParallel(Partitioner.Create(batch), ClearParallelism, store.Delete);
            deleted += batch.Count;
            if (batch.Count < ClearBatch) return deleted;
            previousFirst = batch[0];
        }
    }

    /// <inheritdoc cref="ClearStore(ObjectStore, string)"/>
    public static async Task<long> ClearStoreAsync(ObjectStore store, string prefix = "", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        long deleted = 0;
        string? previousFirst = null;
        while (true)
        {
            var batch = new List<string>(ClearBatch);
            await foreach (var key in store.KeysAsync(prefix, cancellationToken).ConfigureAwait(false))
            {
                batch.Add(key);
                if (batch.Count == ClearBatch) break;
            }
            if (batch.Count == 0) return deleted;
            ThrowIfStuck(store, batch[0], previousFirst);
            await Parallel.ForEachAsync(batch, new ParallelOptions { MaxDegreeOfParallelism = ClearParallelism, CancellationToken = cancellationToken },
                (key, ct) => store.DeleteAsync(key, ct)).ConfigureAwait(false);
            deleted += batch.Count;
            if (batch.Count < ClearBatch) return deleted;
            previousFirst = batch[0];
        }
    }

    private static SyncOptions CopyOptions(bool overwrite) => new() { Compare = overwrite ? SyncCompare.Always : SyncCompare.Missing };

    private static void ThrowIfStuck(ObjectStore store, string first, string? previousFirst)
    {
        if (first == previousFirst)
            throw new ObjectStoreException(store.ToString()!, first, "the key is still listed after it was deleted; the store cannot be cleared");
    }
}
