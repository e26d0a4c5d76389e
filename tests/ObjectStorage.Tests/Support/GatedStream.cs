namespace ObjectStorage.Tests.Support;

/// <summary>
/// A non-seekable stream that hands out the first part of its data, then blocks until
/// <see cref="Release"/> is called, so a test can look at a store while a put is in progress.
/// </summary>
public sealed class GatedStream(byte[] data, int gateAt) : Stream
{
    private readonly ManualResetEventSlim _gate = new(false);
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _position;

    /// <summary>Completes when the reader has consumed everything before the gate.</summary>
    public Task Reached => _reached.Task;

    public void Release() => _gate.Set();

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_position >= gateAt && !_gate.IsSet)
        {
            _reached.TrySetResult();
            if (!_gate.Wait(TimeSpan.FromSeconds(30))) throw new TimeoutException("GatedStream was never released.");
        }
        int limit = _gate.IsSet ? data.Length : gateAt;
        int n = Math.Min(buffer.Length, limit - _position);
        data.AsSpan(_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer, offset, count));

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        _gate.Set();
        base.Dispose(disposing);
    }
}
