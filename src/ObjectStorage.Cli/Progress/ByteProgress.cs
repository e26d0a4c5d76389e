using ObjectStorage.Cli.Output;

namespace ObjectStorage.Cli.Progress;

/// <summary>
/// Bytes moving through one large transfer (put, get, cp of one object), on stderr: nothing for the
/// first second, so that small transfers stay quiet; then, on a terminal, one line rewritten in
/// place four times a second, and when stderr is redirected, a line a second. It counts what is
/// read from the stream <see cref="Track"/> returns.
/// </summary>
internal sealed class ByteProgress : IAsyncDisposable
{
    private static readonly TimeSpan s_quiet = TimeSpan.FromSeconds(1);
    private readonly string _verb;
    private readonly long? _total;
    private readonly bool _live = !Console.IsErrorRedirected;
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private readonly Timer _timer;
    private readonly Lock _lock = new();
    private long _bytes;
    private bool _shown;

    /// <summary>Starts the clock for a transfer of <paramref name="total"/> bytes (null when unknown, as from stdin).</summary>
    public ByteProgress(string verb, long? total)
    {
        _verb = verb;
        _total = total;
        var period = _live ? TimeSpan.FromMilliseconds(250) : TimeSpan.FromSeconds(1);
        _timer = new Timer(_ => Show(final: false), null, s_quiet, period);
    }

    /// <summary><paramref name="stream"/>, counting the bytes read from it.</summary>
    public Stream Track(Stream stream) => new CountingReadStream(stream, n => Interlocked.Add(ref _bytes, n));

    /// <summary>Stops the display; a transfer that was shown gets its last line.</summary>
    public async ValueTask DisposeAsync()
    {
        await _timer.DisposeAsync();
        Show(final: true);
    }

    private void Show(bool final)
    {
        lock (_lock)
        {
            if (final && !_shown) return;
            _shown = true;
            long bytes = Interlocked.Read(ref _bytes);
            var elapsed = _clock.Elapsed;
            var rate = bytes / Math.Max(elapsed.TotalSeconds, 1e-3);
            var text = _total is { } total
                ? $"{_verb}: {Units.Bytes(bytes)} of {Units.Bytes(total)} ({100.0 * bytes / Math.Max(total, 1):0}%), {Units.Rate(rate)}"
                  + (final ? $", done in {Units.Duration(elapsed)}" : rate > 0 ? $", {Units.Duration(TimeSpan.FromSeconds(Math.Max(0, total - bytes) / rate))} left" : "")
                : $"{_verb}: {Units.Bytes(bytes)}, {Units.Rate(rate)}" + (final ? $", done in {Units.Duration(elapsed)}" : "");
            try
            {
                if (_live) Console.Error.Write("\r" + text.PadRight(79) + (final ? Environment.NewLine : ""));
                else Console.Error.WriteLine(text);
            }
            catch (IOException)
            {
                // Stderr is gone; the transfer goes on without a display.
            }
        }
    }

    // Passes reads through and reports their sizes. Seeking passes through too, so that a store that
    // sends a seekable source in one request still can; a rewound retry then counts its bytes twice.
    private sealed class CountingReadStream(Stream inner, Action<int> counted) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => inner.CanSeek;
        public override bool CanWrite => false;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => inner.Position = value; }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override int Read(byte[] buffer, int offset, int count) => Counted(inner.Read(buffer, offset, count));

        public override int Read(Span<byte> buffer) => Counted(inner.Read(buffer));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Counted(await inner.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }

        public override ValueTask DisposeAsync() => inner.DisposeAsync();

        private int Counted(int n)
        {
            counted(n);
            return n;
        }
    }
}
