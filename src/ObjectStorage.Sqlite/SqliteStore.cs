using System.Buffers;
using System.Runtime.InteropServices;
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
public class SqliteStore : ObjectStore
{
    private const string MemoryPath = ":memory:";
    private const int PageSize = 256;
    private const int SpoolThreshold = 1 << 20;
    private const int CopyBufferBytes = 256 * 1024;
    private const int RowOverheadBytes = 32;

    private readonly string _path;
    private readonly SqliteStoreOptions _options;
    private readonly bool _inMemory;
    private readonly long _maxValueBytes;
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
            bool stamped = options.ReadOnly ? InspectSchema(first) : EnsureSchema(first);
            if (!options.ReadOnly) ConfigureJournal(first);
            _maxValueBytes = raw.sqlite3_limit(first.Handle, 0 /* SQLITE_LIMIT_LENGTH */, -1);
            var sql = SqliteStatements.For(stamped);
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

    // ---- Operations --------------------------------------------------------------------------

    /// <inheritdoc/>
    protected override byte[]? GetCore(string key)
    {
        var session = RentReader();
        try
        {
            var command = session[Statement.Get];
            command.Parameters["@key"].Value = key;
            return command.ExecuteScalar() switch
            {
                null => null,
                byte[] bytes => bytes,
                DBNull => [],
                string text => System.Text.Encoding.UTF8.GetBytes(text),
                var other => throw Failure(key, $"the data column holds a {other.GetType().Name}, not a blob"),
            };
        }
        catch (SqliteException ex)
        {
            throw Failed(ex, key);
        }
        finally
        {
            ReturnReader(session);
        }
    }

    /// <summary>A stream over the object through incremental blob I/O, reading one snapshot for as long as it is open.</summary>
    protected override Stream? OpenReadCore(string key)
    {
        if (_inMemory)
        {
            var data = GetCore(key);
            return data is null ? null : new MemoryStream(data, writable: false);
        }
        var session = _readers!.Rent();
        bool handedOver = false;
        try
        {
            session.Run(Statement.Begin);
            var command = session[Statement.RowOf];
            command.Parameters["@key"].Value = key;
            long rowId;
            using (var reader = command.ExecuteReader())
            {
                if (!reader.Read()) return null;
                if (reader.IsDBNull(1)) return new MemoryStream([], writable: false);
                rowId = reader.GetInt64(0);
            }
            var blob = new SqliteBlob(session.Connection, SqliteStatements.Table, "data", rowId, readOnly: true);
            handedOver = true;
            return new SqliteObjectStream(session, blob, _readers.Return, ex => Failed(ex, key));
        }
        catch (SqliteException ex)
        {
            throw Failed(ex, key);
        }
        finally
        {
            if (!handedOver)
            {
                session.RollbackQuietly();
                _readers.Return(session);
            }
        }
    }

    /// <inheritdoc/>
    protected override void PutCore(string key, ReadOnlyMemory<byte> data)
    {
        lock (_writeLock)
        {
            try
            {
                Replace(_writer!, key, data);
            }
            catch (SqliteException ex)
            {
                throw Failed(ex, key);
            }
        }
    }

    /// <summary>
    /// Streams the object into a <c>zeroblob</c> through incremental blob I/O inside one transaction, so no one sees
    /// it before it is complete and a failure leaves the previous version. A stream of unknown length is first read
    /// up to 1 MiB into memory and beyond that spooled to a temporary file, so the write lock waits for no one.
    /// </summary>
    protected override void PutStreamCore(string key, Stream data)
    {
        if (data.CanSeek)
        {
            WriteBlob(key, data, Math.Max(0, data.Length - data.Position));
            return;
        }
        var head = ArrayPool<byte>.Shared.Rent(SpoolThreshold);
        try
        {
            int filled = data.ReadAtLeast(head.AsSpan(0, SpoolThreshold), SpoolThreshold, throwOnEndOfStream: false);
            if (filled < SpoolThreshold)
            {
                PutCore(key, head.AsMemory(0, filled));
                return;
            }
            using var spool = OpenSpoolFile(key);
            // Reads from the caller's stream pass its errors on unchanged; the spool's own (a full disk) name the key.
            int read = filled;
            do
            {
                WriteSpool(spool, key, head, read);
                read = data.Read(head, 0, SpoolThreshold);
            }
            while (read > 0);
            spool.Position = 0;
            WriteBlob(key, spool, spool.Length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(head);
        }
    }

    /// <inheritdoc/>
    protected override bool PutIfNotExistsCore(string key, ReadOnlyMemory<byte> data)
    {
        lock (_writeLock)
        {
            try
            {
                var command = _writer![Statement.PutIfAbsent];
                command.Parameters["@key"].Value = key;
                command.Parameters["@data"].Value = AsBlobValue(data);
                return command.ExecuteNonQuery() == 1;
            }
            catch (SqliteException ex)
            {
                throw Failed(ex, key);
            }
        }
    }

    /// <summary>Stores every object in one transaction: all of them or, on failure, none. Every key is checked before anything is written.</summary>
    /// <exception cref="InvalidKeyException">A key is invalid; nothing was written.</exception>
    public void PutMany(IEnumerable<KeyValuePair<string, ReadOnlyMemory<byte>>> objects) =>
        WriteBatch(CheckBatch(objects), CancellationToken.None);

    /// <inheritdoc cref="PutMany(IEnumerable{KeyValuePair{string, ReadOnlyMemory{byte}}})"/>
    public ValueTask PutManyAsync(IEnumerable<KeyValuePair<string, ReadOnlyMemory<byte>>> objects, CancellationToken cancellationToken = default)
    {
        var batch = CheckBatch(objects);
        cancellationToken.ThrowIfCancellationRequested();
        WriteBatch(batch, cancellationToken);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    protected override bool ExistsCore(string key)
    {
        var session = RentReader();
        try
        {
            var command = session[Statement.Exists];
            command.Parameters["@key"].Value = key;
            return command.ExecuteScalar() is not null;
        }
        catch (SqliteException ex)
        {
            throw Failed(ex, key);
        }
        finally
        {
            ReturnReader(session);
        }
    }

    /// <summary>Size from <c>length(data)</c>, which SQLite answers without reading the blob.</summary>
    protected override ObjectInfo? StatCore(string key)
    {
        var session = RentReader();
        try
        {
            var command = session[Statement.Stat];
            command.Parameters["@key"].Value = key;
            using var reader = command.ExecuteReader();
            return reader.Read() ? ReadInfo(key, reader, first: 0) : null;
        }
        catch (SqliteException ex)
        {
            throw Failed(ex, key);
        }
        finally
        {
            ReturnReader(session);
        }
    }

    /// <inheritdoc/>
    protected override void DeleteCore(string key)
    {
        lock (_writeLock)
        {
            try
            {
                var command = _writer![Statement.Delete];
                command.Parameters["@key"].Value = key;
                command.ExecuteNonQuery();
            }
            catch (SqliteException ex)
            {
                throw Failed(ex, key);
            }
        }
    }

    /// <inheritdoc/>
    protected override IEnumerable<string> KeysCore(string prefix) =>
        Pages(prefix, withInfo: false, static reader => reader.GetString(0));

    /// <inheritdoc/>
    protected override IEnumerable<ObjectInfo> ListCore(string prefix) =>
        Pages(prefix, withInfo: true, static reader => ReadInfo(reader.GetString(0), reader, first: 1));

    // ---- Disposal ----------------------------------------------------------------------------

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (!disposing) return;
        lock (_writeLock) _writer?.Dispose();
        _readers?.Dispose();
    }

    // ---- Construction helpers ----------------------------------------------------------------

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

    // Creates the table when missing, and the side table of versions with its triggers; true (stamped) when done.
    private bool EnsureSchema(SqliteConnection connection)
    {
        Execute(connection, "BEGIN IMMEDIATE");
        try
        {
            Execute(connection, SqliteStatements.CreateTable);
            RequireKeyAndData(ColumnsOf(connection, SqliteStatements.Table));
            RequireUtf8(connection);
            if (ColumnsOf(connection, SqliteStatements.MetaTable).Count == 0)
                foreach (var sql in SqliteStatements.CreateMeta) Execute(connection, sql);
            Execute(connection, "COMMIT");
            return true;
        }
        catch
        {
            if (raw.sqlite3_get_autocommit(connection.Handle) == 0) Execute(connection, "ROLLBACK");
            throw;
        }
    }

    // A read-only store changes nothing: the table must be there; true when the side table of versions is too.
    private bool InspectSchema(SqliteConnection connection)
    {
        var columns = ColumnsOf(connection, SqliteStatements.Table);
        if (columns.Count == 0)
            throw Failure(null, $"the database has no table '{SqliteStatements.Table}' (opened read-only, so it is not created)");
        RequireKeyAndData(columns);
        RequireUtf8(connection);
        return ColumnsOf(connection, SqliteStatements.MetaTable).Count > 0;
    }

    // Listings promise UTF-8 byte order, which BINARY collation gives only over UTF-8 text.
    private void RequireUtf8(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA encoding";
        var encoding = command.ExecuteScalar() as string;
        if (!string.Equals(encoding, "UTF-8", StringComparison.OrdinalIgnoreCase))
            throw Failure(null, $"the database's text encoding is {encoding}; keys list in UTF-8 byte order only in a UTF-8 database");
    }

    private void RequireKeyAndData(HashSet<string> columns)
    {
        if (!columns.Contains("key") || !columns.Contains("data"))
            throw Failure(null, $"the table '{SqliteStatements.Table}' has no 'key' and 'data' columns (it has: {string.Join(", ", columns)})");
    }

    private static HashSet<string> ColumnsOf(SqliteConnection connection, string table)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT name FROM pragma_table_info('{table}')";
        using var reader = command.ExecuteReader();
        var columns = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (reader.Read()) columns.Add(reader.GetString(0));
        return columns;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    // ---- Operation helpers -------------------------------------------------------------------

    private SqliteSession RentReader()
    {
        if (_readers is not null) return _readers.Rent();
        _writeLock.Enter();
        return _writer!;
    }

    private void ReturnReader(SqliteSession session)
    {
        if (_readers is not null) _readers.Return(session);
        else _writeLock.Exit();
    }

    private static void Replace(SqliteSession session, string key, ReadOnlyMemory<byte> data)
    {
        var command = session[Statement.Put];
        command.Parameters["@key"].Value = key;
        command.Parameters["@data"].Value = AsBlobValue(data);
        command.ExecuteNonQuery();
    }

    // The caller's array itself when the memory is all of one; SQLite copies it while binding.
    private static byte[] AsBlobValue(ReadOnlyMemory<byte> data) =>
        MemoryMarshal.TryGetArray(data, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : data.ToArray();

    private void WriteBlob(string key, Stream source, long length)
    {
        // SQLite's length limit bounds the whole row: the key and the record header count too.
        long room = _maxValueBytes - System.Text.Encoding.UTF8.GetByteCount(key) - RowOverheadBytes;
        if (length > room)
            throw Failure(key, $"the object is {length:N0} bytes, more than the {room:N0} that fit in one SQLite row (SQLITE_MAX_LENGTH {_maxValueBytes:N0})");
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferBytes);
        try
        {
            InWriteTransaction(session =>
            {
                var command = session[Statement.PutZeroBlob];
                command.Parameters["@key"].Value = key;
                command.Parameters["@length"].Value = length;
                var rowId = (long)command.ExecuteScalar()!;
                if (length == 0) return;
                using var blob = new SqliteBlob(session.Connection, SqliteStatements.Table, "data", rowId, readOnly: false);
                for (long written = 0; written < length;)
                {
                    int read = source.Read(buffer, 0, (int)Math.Min(buffer.Length, length - written));
                    if (read == 0)
                        throw Failure(key, $"the stream ended after {written:N0} of the {length:N0} bytes it announced; nothing was written");
                    blob.Write(buffer, 0, read);
                    written += read;
                }
            });
        }
        catch (SqliteException ex)
        {
            throw Failed(ex, key);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void WriteSpool(FileStream spool, string key, byte[] buffer, int count)
    {
        try
        {
            spool.Write(buffer, 0, count);
        }
        catch (IOException ex)
        {
            throw Failure(key, $"could not spool a stream of unknown length to '{spool.Name}' (is the disk full?); the previous version is kept", ex);
        }
    }

    private FileStream OpenSpoolFile(string key)
    {
        var directory = _options.SpoolDirectory
            ?? (_inMemory ? System.IO.Path.GetTempPath() : System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(_path))!);
        var path = System.IO.Path.Combine(directory, $".{System.IO.Path.GetFileName(_path)}.spool-{Guid.NewGuid():N}");
        try
        {
            return new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, CopyBufferBytes, FileOptions.DeleteOnClose);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Failure(key, $"cannot create a spool file in '{directory}' for a stream of unknown length", ex);
        }
    }

    private List<KeyValuePair<string, ReadOnlyMemory<byte>>> CheckBatch(IEnumerable<KeyValuePair<string, ReadOnlyMemory<byte>>> objects)
    {
        ArgumentNullException.ThrowIfNull(objects);
        ThrowIfDisposed();
        if (!CanWrite) throw Unsupported("PutMany", "it is read-only (CanWrite is false)");
        var batch = objects.ToList();
        foreach (var item in batch) ObjectKey.Validate(item.Key);
        return batch;
    }

    private void WriteBatch(List<KeyValuePair<string, ReadOnlyMemory<byte>>> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0) return;
        string? key = null;
        try
        {
            InWriteTransaction(session =>
            {
                foreach (var item in batch)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    key = item.Key;
                    Replace(session, item.Key, item.Value);
                }
                key = null;
            });
        }
        catch (SqliteException ex)
        {
            throw Failed(ex, key);
        }
    }

    // Runs body in one write transaction on the writer connection; any failure rolls it all back.
    private void InWriteTransaction(Action<SqliteSession> body)
    {
        lock (_writeLock)
        {
            var session = _writer!;
            session.Run(Statement.BeginImmediate);
            try
            {
                body(session);
                session.Run(Statement.Commit);
            }
            catch
            {
                session.RollbackQuietly();
                throw;
            }
        }
    }

    // Keyset pagination: each page is one short query on a leased connection, so an abandoned or slow listing
    // holds no connection and no snapshot between pages.
    private IEnumerable<T> Pages<T>(string prefix, bool withInfo, Func<SqliteDataReader, T> read)
    {
        var upper = SqliteStatements.UpperBound(prefix);
        var from = prefix;
        bool afterFirst = false;
        var page = new List<(string Key, T Item)>(PageSize);
        while (true)
        {
            page.Clear();
            var session = RentReader();
            try
            {
                var command = session[SqliteStatements.Page(withInfo, afterFirst, upper is not null)];
                command.Parameters["@from"].Value = from;
                if (upper is not null) command.Parameters["@to"].Value = upper;
                command.Parameters["@limit"].Value = PageSize;
                using var reader = command.ExecuteReader();
                while (reader.Read()) page.Add((reader.GetString(0), read(reader)));
            }
            catch (SqliteException ex)
            {
                throw Failed(ex, key: null);
            }
            finally
            {
                ReturnReader(session);
            }
            foreach (var (key, item) in page)
            {
                // A file written by other code may hold keys no store can: reported, not yielded.
                if (ObjectKey.FindBrokenRule(key, isPrefix: false) is { } rule) ReportSkipped(key, $"the row's key is not one a store can hold: {rule}");
                else yield return item;
            }
            if (page.Count < PageSize) yield break;
            from = page[^1].Key;
            afterFirst = true;
        }
    }

    // Columns from first: length(data), version, modified, rowid.
    private static ObjectInfo ReadInfo(string key, SqliteDataReader reader, int first)
    {
        long size = reader.IsDBNull(first) ? 0 : reader.GetInt64(first);
        DateTimeOffset? modified = reader.IsDBNull(first + 2) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(first + 2));
        // A row with no stamp (a file the Python original wrote, opened read-only, so without our triggers) gets a tag
        // from where and how big it is: INSERT OR REPLACE moves a row to a new rowid.
        var etag = reader.IsDBNull(first + 1)
            ? $"r{reader.GetInt64(first + 3):x}-{size:x}"
            : reader.GetInt64(first + 1).ToString("x16", System.Globalization.CultureInfo.InvariantCulture);
        return new ObjectInfo(key, size, modified, etag);
    }

    // The one place a SQLite error becomes ours.
    private ObjectStoreException Failed(SqliteException ex, string? key)
    {
        var what = ex.SqliteErrorCode switch
        {
            raw.SQLITE_BUSY or raw.SQLITE_LOCKED => $"the database stayed locked by another connection past the busy timeout ({_options.BusyTimeout})",
            raw.SQLITE_NOTADB => "the file is not a SQLite database",
            raw.SQLITE_CORRUPT => "the database file is corrupt",
            raw.SQLITE_CANTOPEN => "the database file cannot be opened",
            raw.SQLITE_READONLY => "the database cannot be written",
            raw.SQLITE_FULL => "the disk is full",
            raw.SQLITE_TOOBIG => "the object is larger than SQLite's limit for one value",
            _ => "SQLite failed",
        };
        return Failure(key, $"{what}: {ex.Message}", ex);
    }
}
