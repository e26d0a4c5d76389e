using Microsoft.Data.Sqlite;

namespace ObjectStorage;

// Reads: point lookups and blob streams on connections leased from the reader pool.
public partial class SqliteStore
{
    /// <inheritdoc/>
    protected override byte[]? GetCore(string key)
    {
        var session = RentReader();
        try
        {
            var command = session[Statement.Get];
            command.Parameters["@key"].Value = key;
            using var reader = command.ExecuteReader();
            return reader.Read() ? DataOf(key, reader.GetValue(0), reader.GetString(1)) : null;
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

    /// <summary>True: the blob stream seeks, so the base class moves it to the range's start and SQLite reads only the pages of the range.</summary>
    public override bool IsRangeReadNative => true;

    /// <summary>A stream over the object through incremental blob I/O, reading one snapshot for as long as it is open.</summary>
    protected override Stream? OpenReadCore(string key)
    {
        if (_inMemory) return CopyOf(key);
        var session = _readers!.Rent();
        bool handedOver = false;
        try
        {
            session.Run(Statement.Begin);
            var command = session[Statement.RowOf];
            command.Parameters["@key"].Value = key;
            long rowId;
            string type;
            using (var reader = command.ExecuteReader())
            {
                if (!reader.Read()) return null;
                rowId = reader.GetInt64(0);
                type = reader.GetString(1);
            }
            if (type == NullType) return new MemoryStream([], writable: false);
            if (type == RealType) throw RealRefused(key);
            // Blob I/O opens BLOBs only; foreign TEXT or INTEGER data is read whole, as a get reads it.
            if (type != BlobType) return CopyOf(key);
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

    private MemoryStream? CopyOf(string key) => GetCore(key) is { } data ? new MemoryStream(data, writable: false) : null;

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

    /// <summary>Size from <c>length(data)</c>, which SQLite answers without reading a blob; throws <see cref="ObjectStoreException"/> for a foreign row whose data is a REAL.</summary>
    protected override ObjectInfo? StatCore(string key)
    {
        var session = RentReader();
        try
        {
            var command = session[Statement.Stat];
            command.Parameters["@key"].Value = key;
            using var reader = command.ExecuteReader();
            if (!reader.Read()) return null;
            if (reader.GetString(6) == RealType) throw RealRefused(key);
            return ReadInfo(key, reader, first: 0);
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
        return new ObjectInfo(key, size, modified, etag)
        {
            ContentType = reader.IsDBNull(first + 4) ? null : reader.GetString(first + 4),
            Metadata = FromJson(key, reader, first + 5),
        };
    }
}
