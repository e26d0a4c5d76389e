namespace ObjectStorage;

/// <summary>
/// Thrown by <see cref="StoreSync"/> before it deletes anything when a sync would delete more
/// target objects than <see cref="SyncOptions.MaxDelete"/> allows.
/// </summary>
public sealed class TooManyDeletesException : InvalidOperationException
{
    // Before the sync the whole count is known and nothing is deleted; during it (the source lost
    // objects after the count) the sync stops deleting at the limit.
    internal TooManyDeletesException(ObjectStore target, long deletes, long limit, bool beforeAnyDelete)
        : base(beforeAnyDelete
            ? $"Refusing to sync into {target}: it would delete {deletes} objects, more than the limit of {limit} (MaxDelete); nothing was changed. " +
              "Check the source and the prefix, or raise the limit"
            : $"Stopped deleting from {target} at the limit of {limit} objects (MaxDelete): the source lost objects while the sync ran")
    {
        Target = target.ToString() ?? "";
        Deletes = deletes;
        Limit = limit;
    }

    /// <summary>A description of the target store.</summary>
    public string Target { get; }

    /// <summary>How many objects the sync would delete (when refused before the sync; during it, the delete that passed the limit).</summary>
    public long Deletes { get; }

    /// <summary>The limit the sync was given.</summary>
    public long Limit { get; }
}
