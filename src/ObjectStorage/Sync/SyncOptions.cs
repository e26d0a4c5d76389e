namespace ObjectStorage;

/// <summary>How <see cref="StoreSync"/> decides that an object present in both stores must be copied again.</summary>
public enum SyncCompare
{
    /// <summary>
    /// The default, rclone's. Different sizes mean changed. With equal sizes: when both stores give
    /// ETags that are the same kind of content hash (<see cref="ObjectStore.ETagKind"/>), different
    /// tags mean changed; otherwise, when both give modification times, times further apart than
    /// the window (<see cref="SyncOptions.ModifyWindow"/>) mean changed, in either direction, since
    /// a copy keeps its source's time; into a store that cannot keep a given time (it stamps its
    /// own), only a source newer than its copy by more than the window means changed. Reads no object
    /// body; asks <see cref="ObjectStore.Stat(string)"/> where a store's listing lacks the time it keeps (S3).
    /// </summary>
    SizeThenHash,

    /// <summary>Only different sizes mean changed. Reads no object body; misses same-size edits.</summary>
    Size,

    /// <summary>Different sizes mean changed; equal sizes are compared byte by byte, reading both objects.</summary>
    Content,

    /// <summary>Never recopy an object the target has: copy only missing keys (the Python original's copy).</summary>
    Missing,

    /// <summary>Recopy every object, changed or not.</summary>
    Always,
}

/// <summary>Options of <see cref="StoreSync.Sync(ObjectStore, ObjectStore, SyncOptions?)"/>; the defaults copy what is missing or changed and delete nothing.</summary>
public sealed record SyncOptions
{
    /// <summary>Delete target objects whose keys the source lacks. Off by default.</summary>
    public bool DeleteExtraneous { get; init; }

    /// <summary>Decide and report what would be done, change nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary>How objects present in both stores are compared; see <see cref="SyncCompare"/>.</summary>
    public SyncCompare Compare { get; init; } = SyncCompare.SizeThenHash;

    /// <summary>
    /// How far apart two times may be and still be the same for the default comparison (rclone's
    /// <c>--modify-window</c>). Null, the default, takes the coarser of the two stores'
    /// <see cref="MetadataSupport.TimePrecision"/> (zip 2 seconds, a file system usually 100 ns),
    /// so that a copy whose time the target rounded still matches its source.
    /// </summary>
    public TimeSpan? ModifyWindow { get; init; }

    /// <summary>How many objects are transferred at once. 8 by default.</summary>
    public int Parallelism { get; init; } = 8;

    /// <summary>Sync only the keys that start with this prefix (in both stores).</summary>
    public string Prefix { get; init; } = "";

    /// <summary>Told about each object once it is done (or has failed), from whichever thread did it.</summary>
    public IProgress<SyncProgress>? Progress { get; init; }

    /// <summary>
    /// The most target objects a sync with <see cref="DeleteExtraneous"/> may delete; null (the
    /// default) for no limit. A sync that would delete more throws <see cref="TooManyDeletesException"/>
    /// before it changes anything (it lists both stores once more to count first); a dry run plans
    /// on and sets <see cref="SyncReport.ExceedsMaxDelete"/>.
    /// </summary>
    public long? MaxDelete { get; init; }

    /// <summary>Which objects the sync considers, on both sides; the others are neither copied nor deleted. Null (the default) for all.</summary>
    public ObjectFilter? Filter { get; init; }
}
