using System.IO.Compression;

namespace ObjectStorage;

public sealed partial class GzipStore
{
    // Decompresses as it is read. Counts what goes in and what comes out, so an object that passes the expansion
    // limits fails at that point (with bounded memory, whatever it would expand to), and at the end checks the
    // object against its size record, so a stat and a read never disagree in silence.
    private sealed class DecompressingReader : ForwardOnlyReadStream
    {
        private readonly GzipStore _store;
        private readonly string _key;
        private readonly CountingReader _compressed;
        private readonly GZipStream _gzip;
        private long _expanded;
        private bool _ended;
        private bool _recordAsked;
        private long? _trusted;

        public DecompressingReader(GzipStore store, string key, Stream compressed)
        {
            _store = store;
            _key = key;
            _compressed = new CountingReader(compressed);
            _gzip = new GZipStream(_compressed, CompressionMode.Decompress);
        }

        public override int Read(Span<byte> buffer)
        {
            int n;
            try { n = _gzip.Read(buffer); }
            catch (InvalidDataException ex) { throw _store.NotGzip(_key, ex); }
            _expanded += n;
            if (Refusal() is { } why && !(MayAskRecord() && Trust(_store.StoredRecord(_key))))
                throw new ExpansionRefused(_store.ToString(), _key, why);
            return Ended(n, buffer.Length);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            int n;
            try { n = await _gzip.ReadAsync(buffer, cancellationToken).ConfigureAwait(false); }
            catch (InvalidDataException ex) { throw _store.NotGzip(_key, ex); }
            _expanded += n;
            if (Refusal() is { } why && !(MayAskRecord() && Trust(await _store.StoredRecordAsync(_key, cancellationToken).ConfigureAwait(false))))
                throw new ExpansionRefused(_store.ToString(), _key, why);
            return Ended(n, buffer.Length);
        }

        // Why the bytes so far pass the limits, or null. Once the object's own size record is trusted,
        // the record is the limit: exactly what this store wrote, never more.
        private string? Refusal() => _trusted is { } recorded
            ? _expanded > recorded ? $"it expands past the {recorded:N0} bytes its size record says" : null
            : _store._limit.Exceeded(_expanded, _compressed.Count);

        // The ratio is a guess about data of unknown origin. An object this store wrote says its size at
        // its end, so where only the ratio is passed, the record is read once (a stat and a 34-byte range
        // of the inner object) and, within MaxExpandedBytes, taken as the limit instead.
        private bool MayAskRecord()
        {
            if (_recordAsked || _trusted is not null || _expanded > _store._limit.MaxBytes) return false;
            _recordAsked = true;
            return true;
        }

        private bool Trust(long? recorded)
        {
            if (recorded is not { } size || size < _expanded || size > _store._limit.MaxBytes) return false;
            _trusted = size;
            return true;
        }

        private int Ended(int read, int asked)
        {
            if (read == 0 && asked > 0 && !_ended)
            {
                _ended = true;
                if (SizeRecord.Parse(_compressed.Tail) is { } recorded && recorded != _expanded)
                    throw _store.Failure(_key, $"its size record says {recorded:N0} bytes but it expands to {_expanded:N0}");
            }
            return read;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) _gzip.Dispose();
            base.Dispose(disposing);
        }

        public override async ValueTask DisposeAsync()
        {
            await _gzip.DisposeAsync().ConfigureAwait(false);
            await base.DisposeAsync().ConfigureAwait(false);
        }
    }

    // An object past the expansion limits: a listing reports it and goes on, where other failures end the listing.
    private sealed class ExpansionRefused(string store, string key, string why) : ObjectStoreException(store, key, why);

    // The compressed bytes on their way into GZipStream: how many have passed, and the last few (a size record).
    private sealed class CountingReader(Stream inner) : ForwardOnlyReadStream
    {
        private readonly byte[] _tail = new byte[SizeRecord.Length];

        public long Count { get; private set; }

        public ReadOnlySpan<byte> Tail => Count >= _tail.Length ? _tail : [];

        public override int Read(Span<byte> buffer)
        {
            int n = inner.Read(buffer);
            Keep(buffer[..n]);
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            int n = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            Keep(buffer.Span[..n]);
            return n;
        }

        private void Keep(ReadOnlySpan<byte> read)
        {
            Count += read.Length;
            if (read.Length >= _tail.Length)
            {
                read[^_tail.Length..].CopyTo(_tail);
                return;
            }
            _tail.AsSpan(read.Length).CopyTo(_tail);
            read.CopyTo(_tail.AsSpan(_tail.Length - read.Length));
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }

        public override async ValueTask DisposeAsync()
        {
            await inner.DisposeAsync().ConfigureAwait(false);
            await base.DisposeAsync().ConfigureAwait(false);
        }
    }

    // A readable stream of the gzip compression of another stream, produced as it is read, so a
    // store's streamed put can pull compressed bytes without the whole object in memory. It ends
    // with the size record of the bytes it read.
    private sealed class CompressingReader(Stream source, CompressionLevel level) : ForwardOnlyReadStream
    {
        private readonly MemoryStream _pending = new();
        private readonly byte[] _chunk = new byte[ChunkBytes];
        private GZipStream? _gzip;
        private long _total;
        private int _served;
        private bool _finished;

        public override int Read(Span<byte> buffer)
        {
            while (Available == 0 && !_finished) Compress(source.Read(_chunk));
            return Serve(buffer);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            while (Available == 0 && !_finished) Compress(await source.ReadAsync(_chunk, cancellationToken).ConfigureAwait(false));
            return Serve(buffer.Span);
        }

        private int Available => (int)_pending.Length - _served;

        private void Compress(int read)
        {
            _pending.SetLength(0);
            _served = 0;
            _gzip ??= new GZipStream(_pending, level, leaveOpen: true);
            if (read > 0)
            {
                _total += read;
                _gzip.Write(_chunk, 0, read);
                return;
            }
            _gzip.Dispose(); // writes the rest of the deflate data and the trailer
            SizeRecord.Write(_pending, _total);
            _finished = true;
        }

        private int Serve(Span<byte> buffer)
        {
            int n = Math.Min(buffer.Length, Available);
            _pending.GetBuffer().AsSpan(_served, n).CopyTo(buffer);
            _served += n;
            return n;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _gzip?.Dispose();
                _pending.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
