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

    /// <summary>
    /// The page size, in bytes, of a database file this store creates: a power of two from 512 to 65,536, or null for
    /// SQLite's default (4,096). It applies only when the store makes the file (or finds it empty); a file that holds
    /// data keeps the page size it was made with, so files the Python original wrote are unchanged. Larger pages
    /// keep an object of a few KiB inside its row instead of in a chain of overflow pages (see docs/stores/sqlite.md
    /// for what each size costs and saves).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to anything but a power of two from 512 to 65,536.</exception>
    public int? PageSize
    {
        get;
        init
        {
            if (value is { } size && !IsPageSize(size))
                throw new ArgumentOutOfRangeException(nameof(PageSize), size, "a SQLite page size is a power of two from 512 to 65,536 bytes");
            field = value;
        }
    }

    // What SQLite takes as a page size.
    internal static bool IsPageSize(int bytes) => bytes is >= 512 and <= 65536 && int.IsPow2(bytes);

    /// <summary>Reader connections kept open between calls; more are opened while more threads read at once.</summary>
    public int MaxIdleReaders { get; init; } = 4;

    /// <summary>
    /// Where a put of a stream of unknown length spools its bytes beyond the first MiB before it writes them in one
    /// transaction. Null: the database's own directory (the system temp directory for <c>:memory:</c>).
    /// </summary>
    public string? SpoolDirectory { get; init; }
}
