namespace ObjectStorage.Tests.Support;

/// <summary>
/// Wraps a store so that reading the body of a chosen key runs an action once the reader has
/// consumed a chosen number of bytes: throw (a source that fails part-way through an object) or
/// pull the plug on something else (kill a server while a multipart upload of that body is in
/// flight). <see cref="FaultyStore"/> fails whole calls; this fails in the middle of one.
/// Never disposes the inner store.
/// </summary>
public sealed class TripwireStore(ObjectStore inner, string key, long at, Action<string> action) : WrapperStore(inner, leaveOpen: true)
{
    private int _fired;

    private string Key { get; } = key;

    private long At { get; } = at;

    /// <summary>Whether the action has run.</summary>
    public bool Fired => Volatile.Read(ref _fired) != 0;

    public override string ToString() => $"TripwireStore({Inner})";

    protected override Stream? OpenReadCore(string key) => Arm(key, base.OpenReadCore(key));

    protected override async ValueTask<Stream?> OpenReadAsyncCore(string key, CancellationToken cancellationToken) =>
        Arm(key, await base.OpenReadAsyncCore(key, cancellationToken));

    private Stream? Arm(string opened, Stream? stream) =>
        stream is null || opened != Key || Fired ? stream : new Tripwire(stream, this);

    private void Trip(string opened)
    {
        if (Interlocked.Exchange(ref _fired, 1) == 0) action(opened);
    }

    private sealed class Tripwire(Stream inner, TripwireStore owner) : Stream
    {
        private long _read;

        public override bool CanRead => true;
        public override bool CanSeek => inner.CanSeek;
        public override bool CanWrite => false;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => inner.Position = value; }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            Check();
            // Never reads past the wire in one call, so the action runs with exactly 'at' bytes handed out.
            int n = inner.Read(buffer[..Limit(buffer.Length)]);
            _read += n;
            return n;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Check();
            int n = await inner.ReadAsync(buffer[..Limit(buffer.Length)], cancellationToken);
            _read += n;
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private void Check()
        {
            if (_read >= owner.At && !owner.Fired) owner.Trip(owner.Key);
        }

        private int Limit(int length) => _read < owner.At && !owner.Fired ? (int)Math.Min(length, owner.At - _read) : length;

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }

        public override async ValueTask DisposeAsync()
        {
            await inner.DisposeAsync();
            await base.DisposeAsync();
        }
    }
}
