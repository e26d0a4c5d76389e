namespace ObjectStorage.Zip;

/// <summary>
/// The stream a <see cref="ZipStore"/> hands out for one object: it keeps the file it reads from
/// alive until disposed, reads under the store's lock when the file is shared, and reports
/// failures of the medium as the store's exceptions. It seeks where the bytes it reads do (an
/// object not yet written into the archive), so a ranged read moves to its start there instead of
/// reading up to it; System.IO.Compression's entry streams go forward only.
/// </summary>
internal sealed class ZipReadStream(Stream inner, long length, object? gate, RefCounted holder, Func<Exception, Exception> translate) : Stream
{
    private int _disposed;

    public override bool CanRead => _disposed == 0;
    public override bool CanSeek => _disposed == 0 && inner.CanSeek;
    public override bool CanWrite => false;
    public override long Length => length;
    public override long Position
    {
        get => CanSeek ? Locked(() => inner.Position) : throw new NotSupportedException();
        set => Seek(value, SeekOrigin.Begin);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        try
        {
            if (gate is null) return inner.Read(buffer);
            lock (gate) return inner.Read(buffer);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            throw translate(e);
        }
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Read(buffer.Span));
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Read(buffer.AsSpan(offset, count)));
    }

    protected override void Dispose(bool disposing)
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        try
        {
            if (gate is null) inner.Dispose();
            else lock (gate) inner.Dispose();
        }
        finally
        {
            holder.Release();
            base.Dispose(disposing);
        }
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) =>
        CanSeek ? Locked(() => inner.Seek(offset, origin)) : throw new NotSupportedException();

    private long Locked(Func<long> action)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (gate is null) return action();
        lock (gate) return action();
    }
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
