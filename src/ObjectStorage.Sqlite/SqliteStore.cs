using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace ObjectStorage;

/// <summary>
/// Objects in one SQLite file, in the Python original's table <c>objects(key TEXT PRIMARY KEY, data BLOB)</c>, so
/// either program reads and writes the other's files. WAL journal: readers never block the writer, and several
/// processes may share the file. Thread-safe: writes take one connection in turn, reads lease connections from a
/// small pool. Large objects stream in and out through SQLite's incremental blob I/O.
/// </summary>
/// <remarks>
/// The <c>objects</c> table stays exactly the Python original's; <see cref="ObjectInfo.ETag"/> and
/// <see cref="ObjectInfo.LastModified"/> live in a side table <c>objects_meta</c> that triggers keep in step with
/// every write, whoever makes it (see <c>SqliteStatements</c> for why not extra columns).
/// One object holds at most SQLite's value limit (<c>SQLITE_MAX_LENGTH</c>, 1,000,000,000 bytes by default).
/// </remarks>
public partial class SqliteStore : ObjectStore
{
    private const string MemoryPath = ":memory:";
    // Spool files and blob writes copy in pieces this large.
    private const int CopyBufferBytes = 256 * 1024;

    private readonly string _path;
    private readonly SqliteStoreOptions _options;
    private readonly bool _inMemory;
    private readonly long _maxValueBytes;
    // Rows a batch writes per statement: many on a file with large pages (SqliteStore.Batch.cs), else one.
    private readonly int _rowsPerPut;
    private readonly Lock _writeLock = new();
    // Null when read-only. For ":memory:" (a database per connection) it is the only session and serves reads too.
    private readonly SqliteSession? _writer;
    // Null for ":memory:".
    private readonly SqliteSessionPool? _readers;

    /// <summary>Opens the database at <paramref name="path"/>, creating the file and table when missing; <c>":memory:"</c> for a private in-memory one.</summary>
    /// <exception cref="ObjectStoreException">The file is not a SQLite database, or cannot be opened or set up.</exception>
    public SqliteStore(string path) : this(path, SqliteStoreOptions.Default) { }

    /// <inheritdoc cref="SqliteStore(string)"/>
    /// <exception cref="ObjectStoreException">Also when opened read-only and the file or its <c>objects</c> table is missing.</exception>
    public SqliteStore(string path, SqliteStoreOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(options);
        _path = path;
        _options = options;
        _inMemory = path == MemoryPath;
        if (_inMemory && options.ReadOnly)
            throw new ArgumentException("A \":memory:\" database starts empty, so it cannot be opened read-only.", nameof(options));

        SqliteConnection? first = null;
        try
        {
            // The schema is checked before the journal is switched to WAL, so a refused foreign file keeps every byte.
            first = Connect(readOnly: options.ReadOnly);
            _side = options.ReadOnly ? InspectSchema(first) : EnsureSchema(first);
            if (!options.ReadOnly) ConfigureJournal(first);
            _maxValueBytes = raw.sqlite3_limit(first.Handle, 0 /* SQLITE_LIMIT_LENGTH */, -1);
            _rowsPerPut = Pragma(first, "page_size") > DefaultPageBytes ? SqliteStatements.RowsPerPut : 1;
            var sql = SqliteStatements.For(_side);
            var opened = new SqliteSession(first, sql);
            first = null;
            if (!_inMemory)
                _readers = new SqliteSessionPool(() => new SqliteSession(Connect(readOnly: true), sql), Math.Max(1, options.MaxIdleReaders));
            if (options.ReadOnly) _readers!.Return(opened);
            else _writer = opened;
        }
        catch (SqliteException ex)
        {
            first?.Dispose();
            throw Failed(ex, key: null);
        }
        catch
        {
            first?.Dispose();
            throw;
        }
    }

    /// <summary>The database file (or <c>":memory:"</c>).</summary>
    public string Path => _path;

    /// <summary>The options the store was opened with.</summary>
    public SqliteStoreOptions Options => _options;

    /// <inheritdoc/>
    public override bool CanWrite => !_options.ReadOnly;

    /// <inheritdoc/>
    public override bool CanPutIfNotExists => CanWrite;

    /// <inheritdoc/>
    public override string ToString() => $"SqliteStore({_path})";

    /// <summary>The database file, links resolved; a private location for <c>":memory:"</c>.</summary>
    public override IReadOnlyList<StoreLocation> Locations => field ??= [_inMemory ? StoreLocation.OfPrivateMemory() : StoreLocation.OfLocalPath(_path, "sqlite")];

    /// <summary>
    /// Closes the readers, then the writer after a checkpoint that truncates the WAL, so that a large
    /// put leaves no large <c>-wal</c> file behind. The writer closes last because only a writable
    /// connection can checkpoint: SQLite removes the WAL when the last connection closes, unless
    /// that one is read-only. Another process that still has the file open keeps the WAL as it is.
    /// </summary>
    protected override void Dispose(bool disposing)
    {
        if (!disposing) return;
        _readers?.Dispose();
        lock (_writeLock)
        {
            if (_writer is { } writer && !_inMemory) TruncateWal(writer.Connection);
            _writer?.Dispose();
        }
    }

    private static void TruncateWal(SqliteConnection connection)
    {
        try
        {
            // Without waiting: a TRUNCATE checkpoint waits for every reader while it holds the write lock, so with
            // the busy timeout it would stall another process's writers for that long. Busy, it gives up at once.
            Execute(connection, "PRAGMA busy_timeout = 0");
            Execute(connection, "PRAGMA wal_checkpoint(TRUNCATE)");
        }
        catch (SqliteException)
        {
            // Busy with another process's readers or writers: the WAL stays for the next checkpoint, and no data is at risk.
        }
    }

    private SqliteConnection Connect(bool readOnly)
    {
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = _path,
            Mode = readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = false,
            DefaultTimeout = (int)Math.Ceiling(_options.BusyTimeout.TotalSeconds),
        };
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            connection.Open();
            Execute(connection, $"PRAGMA busy_timeout = {(long)_options.BusyTimeout.TotalMilliseconds}");
            // Reads the header now, so a file that is not a database fails here and not at first use.
            Execute(connection, "SELECT count(*) FROM sqlite_master");
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private void ConfigureJournal(SqliteConnection connection)
    {
        Execute(connection, "PRAGMA journal_mode = WAL");
        Execute(connection, _options.DurableCommits ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
    }
}
