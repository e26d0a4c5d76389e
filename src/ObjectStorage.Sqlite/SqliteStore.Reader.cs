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
        return new ObjectInfo(key, size, modified, etag);
    }
}
