namespace ObjectStorage.Tests.Support;

/// <summary>
/// Reads through <c>inner</c> until a little more than <c>failAfter</c> bytes have been read, then
/// throws <see cref="IOException"/> ("the source broke"): a source that breaks in the middle of a put.
/// Seekable when <c>inner</c> is.
/// </summary>
public sealed class FailingStream(Stream inner, long failAfter) : Stream
{
    private long _read;
    public override bool CanRead => true;
    public override bool CanSeek => inner.CanSeek;
    public override bool CanWrite => false;
    public override long Length => inner.Length;
    public override long Position { get => inner.Position; set => inner.Position = value; }

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (_read >= failAfter) throw new IOException("the source broke");
        int n = inner.Read(buffer, offset, (int)Math.Min(count, failAfter - _read + 1));
        _read += n;
        return n;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
