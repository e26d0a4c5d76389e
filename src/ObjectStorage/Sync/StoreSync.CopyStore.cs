namespace ObjectStorage;

// The Python original's copy_store (its clear_store is ObjectStore.DeletePrefix).
public static partial class StoreSync
{
    /// <summary>
    /// Copies every object of <paramref name="source"/> into <paramref name="target"/>: only the
    /// keys the target lacks, or with <paramref name="overwrite"/> every key. Deletes nothing.
    /// </summary>
    public static SyncReport CopyStore(ObjectStore source, ObjectStore target, bool overwrite = false) =>
        Sync(source, target, CopyOptions(overwrite));

    /// <inheritdoc cref="CopyStore(ObjectStore, ObjectStore, bool)"/>
    public static Task<SyncReport> CopyStoreAsync(ObjectStore source, ObjectStore target, bool overwrite = false, CancellationToken cancellationToken = default) =>
        SyncAsync(source, target, CopyOptions(overwrite), cancellationToken);

    private static SyncOptions CopyOptions(bool overwrite) => new() { Compare = overwrite ? SyncCompare.Always : SyncCompare.Missing };
}
