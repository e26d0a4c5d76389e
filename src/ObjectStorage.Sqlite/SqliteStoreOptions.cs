namespace ObjectStorage;

/// <summary>How a <see cref="SqliteStore"/> opens its database.</summary>
public sealed record SqliteStoreOptions
{
    /// <summary>The defaults: read-write, created when missing, 30 s busy timeout.</summary>
    public static SqliteStoreOptions Default { get; } = new();

    /// <summary>
    /// Open the file read-only: it must exist and hold the <c>objects</c> table; <see cref="ObjectStore.CanWrite"/>
    /// is false and the schema is never changed.
    /// </summary>
    public bool ReadOnly { get; init; }

    /// <summary>How long an operation waits for a lock held by another connection or process before it fails.</summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// <c>PRAGMA synchronous=FULL</c> instead of <c>NORMAL</c>: a commit also survives a power cut, at the cost
    /// of one fsync per write. With <c>NORMAL</c> (WAL) a killed process never loses or tears a committed object.
    /// </summary>
    public bool DurableCommits { get; init; }

    /// <summary>Reader connections kept open between calls; more are opened while more threads read at once.</summary>
    public int MaxIdleReaders { get; init; } = 4;

    /// <summary>
    /// Where a put of a stream of unknown length spools its bytes beyond the first MiB before it writes them in one
    /// transaction. Null: the database's own directory (the system temp directory for <c>:memory:</c>).
    /// </summary>
    public string? SpoolDirectory { get; init; }
}
