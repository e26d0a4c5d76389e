namespace ObjectStorage;

/// <summary>What <see cref="StoreSync"/> did (or, in a dry run, would do) with one key.</summary>
public enum SyncAction
{
    /// <summary>Copied: the target lacked the key.</summary>
    Copy,

    /// <summary>Copied again: the target's object differed.</summary>
    Update,

    /// <summary>Deleted from the target: the source lacks the key.</summary>
    Delete,

    /// <summary>Left alone: the objects compare equal.</summary>
    Unchanged,

    /// <summary>Left alone: only the target has the key and extraneous keys are not deleted.</summary>
    KeepExtraneous,
}

/// <summary>One object that a sync could not bring up to date, with the action tried and the exception.</summary>
public sealed record SyncFailure(string Key, SyncAction Action, Exception Error);

/// <summary>Progress of a sync: one key done. <paramref name="Error"/> is set when it failed.</summary>
public readonly record struct SyncProgress(string Key, SyncAction Action, long Bytes, Exception? Error);

/// <summary>The outcome of a sync: counts per action, bytes copied, every failure with its key, and every entry a listing passed over.</summary>
public sealed record SyncReport
{
    /// <summary>Keys copied because the target lacked them.</summary>
    public long Copied { get; init; }

    /// <summary>Keys copied again because the target's object differed.</summary>
    public long Updated { get; init; }

    /// <summary>Keys deleted from the target.</summary>
    public long Deleted { get; init; }

    /// <summary>Keys whose objects compared equal.</summary>
    public long Unchanged { get; init; }

    /// <summary>Keys only the target has, left alone.</summary>
    public long Extraneous { get; init; }

    /// <summary>Bytes of object data copied (in a dry run: that would be copied).</summary>
    public long BytesCopied { get; init; }

    /// <summary>Objects that failed; the sync went on with the others. A rerun retries them.</summary>
    public IReadOnlyList<SyncFailure> Failures { get; init; } = [];

    /// <summary>
    /// Entries the source's or the target's listing passed over (a file name that is not UTF-8, a
    /// row whose key no store can hold), so the sync could not consider them. A medium's refusal of
    /// a key (<see cref="InvalidKeyException"/>) is a failure of that key instead.
    /// </summary>
    public IReadOnlyList<SkippedEntry> Skipped { get; init; } = [];

    /// <summary>True when nothing was changed because the options asked for a dry run.</summary>
    public bool DryRun { get; init; }

    /// <summary>The limit on deletes the sync was given (<see cref="SyncOptions.MaxDelete"/>), or null.</summary>
    public long? MaxDelete { get; init; }

    /// <summary>True when a dry run planned more deletes than <see cref="MaxDelete"/>: the real sync would be refused.</summary>
    public bool ExceedsMaxDelete => Deleted > MaxDelete;

    /// <summary>True when no object failed, no listing passed anything over, and the deletes kept within the limit.</summary>
    public bool Succeeded => Failures.Count == 0 && Skipped.Count == 0 && !ExceedsMaxDelete;
}
