using System.Buffers;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace ObjectStorage;

// Writes: every change goes through the one writer connection under the write lock.
public partial class SqliteStore
{
    private const int RowOverheadBytes = 32;

    /// <inheritdoc/>
    protected override void PutCore(string key, ReadOnlyMemory<byte> data, PutOptions options)
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

    /// <inheritdoc/>
    protected override bool PutIfNotExistsCore(string key, ReadOnlyMemory<byte> data, PutOptions options)
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

    /// <inheritdoc/>
    protected override void DeleteCore(string key)
    {
        lock (_writeLock)
        {
            try
            {
                DeleteRow(_writer!, key);
            }
            catch (SqliteException ex)
            {
                throw Failed(ex, key);
            }
        }
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

    // Writes exactly length bytes of source as the object, in one transaction. A source that holds more or fewer
    // bytes than that rolls it back with LengthMismatch, so that a stream's announced length is never stored in
    // place of what reading it proves (a /proc file says 0, a /sys file 4096).
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
                if (length > 0)
                {
                    using var blob = new SqliteBlob(session.Connection, SqliteStatements.Table, "data", rowId, readOnly: false);
                    for (long written = 0; written < length;)
                    {
                        int read = source.Read(buffer, 0, (int)Math.Min(buffer.Length, length - written));
                        if (read == 0) throw new LengthMismatch();
                        blob.Write(buffer, 0, read);
                        written += read;
                    }
                }
                if (source.Read(buffer, 0, 1) > 0) throw new LengthMismatch();
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

    // The source did not hold the bytes its length announced; the transaction was rolled back.
    private sealed class LengthMismatch() : Exception("the stream did not hold as many bytes as its length announced");

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
}
