using Microsoft.Data.Sqlite;

namespace ObjectStorage;

/// <summary>
/// An object read through SQLite's incremental blob I/O. It holds a read transaction on its own connection for its
/// whole life, so it reads one snapshot: a writer that overwrites or deletes the object meanwhile (WAL lets it go
/// ahead) is not seen, and the stream never mixes two versions.
/// </summary>
internal sealed class SqliteObjectStream : Stream
{
    private readonly SqliteSession _session;
    private readonly SqliteBlob _blob;
    private readonly Action<SqliteSession> _release;
    private readonly Func<SqliteException, Exception> _failed;
    private bool _disposed;

    public SqliteObjectStream(SqliteSession session, SqliteBlob blob, Action<SqliteSession> release, Func<SqliteException, Exception> failed)
    {
        _session = session;
        _blob = blob;
        _release = release;
        _failed = failed;
    }

    public override bool CanRead => !_disposed;
    public override bool CanSeek => !_disposed;
    public override bool CanWrite => false;
    public override long Length => Open().Length;

    public override long Position
    {
        get => Open().Position;
        set => Open().Position = value;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        try
        {
            return Open().Read(buffer);
        }
        catch (SqliteException ex)
        {
            throw _failed(ex);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Read(buffer.Span));
    }

    public override long Seek(long offset, SeekOrigin origin) => Open().Seek(offset, origin);

    public override void Flush() { }
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            _blob.Dispose();
            _session.RollbackQuietly();
            _release(_session);
        }
        base.Dispose(disposing);
    }

    private SqliteBlob Open()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _blob;
    }
}
