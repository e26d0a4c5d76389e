namespace ObjectStorage.Tests.Support;

/// <summary>
/// A read-only, non-seekable stream of <c>length</c> deterministic bytes, so tests can move large
/// objects without holding them in an array. Byte i is a function of (seed, i).
/// </summary>
public sealed class PatternStream(long length, int seed = 7) : Stream
{
    private long _position;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public static byte At(long index, int seed) => (byte)((index * 2654435761L + seed * 40503L + (index >> 13)) >> 7);

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int n = (int)Math.Min(buffer.Length, length - _position);
        for (int i = 0; i < n; i++) buffer[i] = At(_position + i, seed);
        _position += n;
        return n;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer, offset, count));

    /// <summary>Reads <paramref name="actual"/> to its end and checks it is exactly this pattern; returns the first mismatch, or null.</summary>
    public static string? Compare(Stream actual, long length, int seed = 7)
    {
        var buffer = new byte[81920];
        long position = 0;
        int n;
        while ((n = actual.Read(buffer, 0, buffer.Length)) > 0)
        {
            for (int i = 0; i < n; i++)
            {
                if (position + i >= length) return $"stream is longer than {length} bytes";
                if (buffer[i] != At(position + i, seed)) return $"byte {position + i} differs";
            }
            position += n;
        }
        return position == length ? null : $"stream ended at {position} of {length} bytes";
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
