namespace ObjectStorage;

/// <summary>
/// A byte range of an object's stream, for media that cannot open a range themselves: the
/// stream is moved to the offset (by seeking where it can, by reading and discarding where it
/// cannot) and reads stop after the length. Seekable when the whole-object stream is.
/// </summary>
internal sealed class RangeReadStream : Stream
{
    private const int SkipChunk = 64 * 1024;

    private readonly Stream _inner;
    private readonly long _start;
    private readonly long? _length;
    private long _position;

    private RangeReadStream(Stream inner, long start, long? length)
    {
        _inner = inner;
        _start = start;
        _length = length;
    }

    /// <summary>The range of <paramref name="whole"/> (null when the object is absent), which it takes over; past the end it is empty.</summary>
    public static Stream? Slice(Stream? whole, long offset, long? length)
    {
        if (whole is null || (offset == 0 && length is null)) return whole;
        try
        {
            if (WithoutSkipping(whole, offset, length) is { } done) return done;
            var buffer = SkipBuffer(offset);
            for (long remaining = offset; remaining > 0;)
            {
                int n = whole.Read(buffer, 0, (int)Math.Min(buffer.Length, remaining));
                if (n == 0) return Empty(whole);
                remaining -= n;
            }
            return new RangeReadStream(whole, offset, length);
        }
        catch
        {
            whole.Dispose();
            throw;
        }
    }

    /// <inheritdoc cref="Slice(Stream?, long, long?)"/>
    public static async ValueTask<Stream?> SliceAsync(Stream? whole, long offset, long? length, CancellationToken cancellationToken)
    {
        if (whole is null || (offset == 0 && length is null)) return whole;
        try
        {
            if (WithoutSkipping(whole, offset, length) is { } done) return done;
            var buffer = SkipBuffer(offset);
            for (long remaining = offset; remaining > 0;)
            {
                int n = await whole.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), cancellationToken).ConfigureAwait(false);
                if (n == 0) return Empty(whole);
                remaining -= n;
            }
            return new RangeReadStream(whole, offset, length);
        }
        catch
        {
            await whole.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    // The range when it needs no reading to reach: empty, or a seekable stream moved to its start; null otherwise.
    private static Stream? WithoutSkipping(Stream whole, long offset, long? length)
    {
        if (length == 0) return Empty(whole);
        if (!whole.CanSeek) return null;
        // Some seekable streams (SQLite blobs) refuse a position past their end: clamp to it.
        long start = Math.Min(offset, whole.Length);
        whole.Position = start;
        return new RangeReadStream(whole, start, length);
    }

    private static byte[] SkipBuffer(long offset) => new byte[(int)Math.Min(SkipChunk, Math.Max(1, offset))];

    private static Stream Empty(Stream whole)
    {
        whole.Dispose();
        return new MemoryStream([], writable: false);
    }

    public override bool CanRead => _inner.CanRead;
    public override bool CanSeek => _inner.CanSeek;
    public override bool CanWrite => false;

    public override long Length
    {
        get
        {
            long rest = _inner.Length - _start;
            return _length is { } length ? Math.Min(length, rest) : rest;
        }
    }

    public override long Position
    {
        get => CanSeek ? _position : throw new NotSupportedException();
        set => Seek(value, SeekOrigin.Begin);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int n = _inner.Read(buffer[..Allowed(buffer.Length)]);
        _position += n;
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int n = await _inner.ReadAsync(buffer[..Allowed(buffer.Length)], cancellationToken).ConfigureAwait(false);
        _position += n;
        return n;
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        if (!CanSeek) throw new NotSupportedException();
        long target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            SeekOrigin.End => Length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };
        ArgumentOutOfRangeException.ThrowIfNegative(target, nameof(offset));
        _inner.Position = _start + Math.Min(target, Length);
        _position = target;
        return target;
    }

    // How much of a read of `wanted` bytes the range still allows.
    private int Allowed(int wanted)
    {
        if (_length is not { } length) return wanted;
        long left = Math.Max(0, length - _position);
        return (int)Math.Min(wanted, left);
    }

    public override void Flush() { }
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _inner.Dispose();
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await _inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
