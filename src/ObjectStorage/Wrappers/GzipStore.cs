using System.Buffers.Binary;
using System.IO.Compression;

namespace ObjectStorage;

/// <summary>
/// Compresses objects with gzip on the way into an inner store and decompresses them on the way
/// out; each inner object is a plain .gz file (one member) that any gunzip reads.
/// </summary>
/// <remarks>
/// Streamed puts compress while they read, so a large object is never held whole in memory.
/// <see cref="ObjectInfo.Size"/> here is the uncompressed size, the length a get returns, so that
/// sizes compare with other stores. Finding it costs a read per object: the last four bytes of the
/// gzip trailer when the inner store opens seekable streams and the compressed object is small
/// enough for that field to be exact (under 4,000,000 bytes), otherwise a full decompression.
/// Listing a <see cref="GzipStore"/> is therefore much slower than listing its inner store; use
/// the inner store's listing where compressed sizes will do. ETags are the inner store's, but
/// they are not comparable as content hashes (<see cref="ETagKind"/> is null).
/// </remarks>
public sealed class GzipStore(ObjectStore inner, CompressionLevel level = CompressionLevel.Fastest, bool leaveOpen = false)
    : WrapperStore(inner, leaveOpen)
{
    // Deflate expands at most 1032:1, so under this compressed size the 32-bit trailer length is exact.
    private const long TrailerIsExactBelow = 4_000_000;
    private const int ChunkBytes = 64 * 1024;

    /// <inheritdoc/>
    public override string? ETagKind => null;

    /// <summary>False: a range of the plain bytes is found by decompressing from the start, whatever the inner store can do.</summary>
    public override bool IsRangeReadNative => false;

    /// <summary>False: a URL would hand out the compressed bytes, or take uncompressed ones this store could not read.</summary>
    public override bool CanPresign => false;

    /// <inheritdoc/>
    public override string ToString() => $"GzipStore({Inner})";

    /// <inheritdoc/>
    protected override byte[]? GetCore(string key)
    {
        var compressed = base.GetCore(key);
        return compressed is null ? null : Decompress(key, compressed);
    }

    /// <inheritdoc/>
    protected override async ValueTask<byte[]?> GetAsyncCore(string key, CancellationToken cancellationToken)
    {
        var compressed = await base.GetAsyncCore(key, cancellationToken).ConfigureAwait(false);
        return compressed is null ? null : Decompress(key, compressed);
    }

    /// <inheritdoc/>
    protected override Stream? OpenReadCore(string key)
    {
        var compressed = base.OpenReadCore(key);
        return compressed is null ? null : new DecompressingReader(compressed, ex => NotGzip(key, ex));
    }

    /// <inheritdoc/>
    protected override async ValueTask<Stream?> OpenReadAsyncCore(string key, CancellationToken cancellationToken)
    {
        var compressed = await base.OpenReadAsyncCore(key, cancellationToken).ConfigureAwait(false);
        return compressed is null ? null : new DecompressingReader(compressed, ex => NotGzip(key, ex));
    }

    /// <inheritdoc/>
    protected override Stream? OpenRangeCore(string key, long offset, long? length) =>
        RangeReadStream.Slice(OpenReadCore(key), offset, length);

    /// <inheritdoc/>
    protected override async ValueTask<Stream?> OpenRangeAsyncCore(string key, long offset, long? length, CancellationToken cancellationToken) =>
        await RangeReadStream.SliceAsync(await OpenReadAsyncCore(key, cancellationToken).ConfigureAwait(false), offset, length, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    protected override void PutCore(string key, ReadOnlyMemory<byte> data) => base.PutCore(key, Compress(data));

    /// <summary>Compresses each object, then hands the batch to the inner store, atomic there if it is there.</summary>
    protected override void PutManyCore(IReadOnlyList<KeyValuePair<string, ReadOnlyMemory<byte>>> objects) =>
        base.PutManyCore(Compressed(objects));

    /// <inheritdoc cref="PutManyCore(IReadOnlyList{KeyValuePair{string, ReadOnlyMemory{byte}}})"/>
    protected override ValueTask PutManyAsyncCore(IReadOnlyList<KeyValuePair<string, ReadOnlyMemory<byte>>> objects, CancellationToken cancellationToken) =>
        base.PutManyAsyncCore(Compressed(objects), cancellationToken);

    /// <inheritdoc/>
    protected override ValueTask PutAsyncCore(string key, ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        base.PutAsyncCore(key, Compress(data), cancellationToken);

    /// <inheritdoc/>
    protected override void PutStreamCore(string key, Stream data)
    {
        using var compressing = new CompressingReader(data, level);
        base.PutStreamCore(key, compressing);
    }

    /// <inheritdoc/>
    protected override async ValueTask PutStreamAsyncCore(string key, Stream data, CancellationToken cancellationToken)
    {
        await using var compressing = new CompressingReader(data, level);
        await base.PutStreamAsyncCore(key, compressing, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    protected override bool PutIfNotExistsCore(string key, ReadOnlyMemory<byte> data) => base.PutIfNotExistsCore(key, Compress(data));

    /// <inheritdoc/>
    protected override ValueTask<bool> PutIfNotExistsAsyncCore(string key, ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        base.PutIfNotExistsAsyncCore(key, Compress(data), cancellationToken);

    /// <inheritdoc/>
    protected override ObjectInfo? StatCore(string key)
    {
        var info = base.StatCore(key);
        return info is null ? null : WithUncompressedSize(info);
    }

    /// <inheritdoc/>
    protected override async ValueTask<ObjectInfo?> StatAsyncCore(string key, CancellationToken cancellationToken)
    {
        var info = await base.StatAsyncCore(key, cancellationToken).ConfigureAwait(false);
        return info is null ? null : await WithUncompressedSizeAsync(info, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    protected override IEnumerable<ObjectInfo> ListCore(string prefix)
    {
        foreach (var info in base.ListCore(prefix))
        {
            var sized = WithUncompressedSize(info);
            if (sized is not null) yield return sized;
        }
    }

    /// <inheritdoc/>
    protected override async IAsyncEnumerable<ObjectInfo> ListAsyncCore(string prefix, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var info in base.ListAsyncCore(prefix, cancellationToken).ConfigureAwait(false))
        {
            var sized = await WithUncompressedSizeAsync(info, cancellationToken).ConfigureAwait(false);
            if (sized is not null) yield return sized;
        }
    }

    private KeyValuePair<string, ReadOnlyMemory<byte>>[] Compressed(IReadOnlyList<KeyValuePair<string, ReadOnlyMemory<byte>>> objects) =>
        [.. objects.Select(o => KeyValuePair.Create(o.Key, Compress(o.Value)))];

    private ReadOnlyMemory<byte> Compress(ReadOnlyMemory<byte> data)
    {
        var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, level, leaveOpen: true)) gzip.Write(data.Span);
        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }

    private byte[] Decompress(string key, byte[] compressed)
    {
        try
        {
            using var gzip = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
            using var plain = new MemoryStream();
            gzip.CopyTo(plain);
            return plain.ToArray();
        }
        catch (InvalidDataException ex)
        {
            throw NotGzip(key, ex);
        }
    }

    // Null when the object was deleted after it was listed.
    private ObjectInfo? WithUncompressedSize(ObjectInfo info)
    {
        using var compressed = base.OpenReadCore(info.Key);
        if (compressed is null) return null;
        try
        {
            if (TrailerSize(compressed, info.Size) is { } size) return info with { Size = size };
            using var gzip = new GZipStream(compressed, CompressionMode.Decompress);
            var buffer = new byte[ChunkBytes];
            long total = 0;
            int n;
            while ((n = gzip.Read(buffer)) > 0) total += n;
            return info with { Size = total };
        }
        catch (InvalidDataException ex)
        {
            throw NotGzip(info.Key, ex);
        }
    }

    private async ValueTask<ObjectInfo?> WithUncompressedSizeAsync(ObjectInfo info, CancellationToken cancellationToken)
    {
        var compressed = await base.OpenReadAsyncCore(info.Key, cancellationToken).ConfigureAwait(false);
        if (compressed is null) return null;
        await using (compressed.ConfigureAwait(false))
        {
            try
            {
                if (TrailerSize(compressed, info.Size) is { } size) return info with { Size = size };
                await using var gzip = new GZipStream(compressed, CompressionMode.Decompress);
                var buffer = new byte[ChunkBytes];
                long total = 0;
                int n;
                while ((n = await gzip.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0) total += n;
                return info with { Size = total };
            }
            catch (InvalidDataException ex)
            {
                throw NotGzip(info.Key, ex);
            }
        }
    }

    // The gzip trailer's ISIZE (length mod 2^32), when it can be read cheaply and is exact.
    private static long? TrailerSize(Stream compressed, long compressedSize)
    {
        if (!compressed.CanSeek || compressedSize >= TrailerIsExactBelow || compressed.Length < 18) return null;
        Span<byte> trailer = stackalloc byte[4];
        compressed.Seek(-4, SeekOrigin.End);
        compressed.ReadExactly(trailer);
        return BinaryPrimitives.ReadUInt32LittleEndian(trailer);
    }

    private ObjectStoreException NotGzip(string key, Exception inner) =>
        Failure(key, "the stored object is not valid gzip data", inner);

    // Decompresses as it is read, reporting data that is not gzip as this store's failure.
    private sealed class DecompressingReader(Stream compressed, Func<InvalidDataException, Exception> notGzip) : ForwardOnlyReadStream
    {
        private readonly GZipStream _gzip = new(compressed, CompressionMode.Decompress);

        public override int Read(Span<byte> buffer)
        {
            try { return _gzip.Read(buffer); }
            catch (InvalidDataException ex) { throw notGzip(ex); }
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            try { return await _gzip.ReadAsync(buffer, cancellationToken).ConfigureAwait(false); }
            catch (InvalidDataException ex) { throw notGzip(ex); }
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

    // A readable stream of the gzip compression of another stream, produced as it is read, so a
    // store's streamed put can pull compressed bytes without the whole object in memory.
    private sealed class CompressingReader(Stream source, CompressionLevel level) : ForwardOnlyReadStream
    {
        private readonly MemoryStream _pending = new();
        private readonly byte[] _chunk = new byte[ChunkBytes];
        private GZipStream? _gzip;
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
                _gzip.Write(_chunk, 0, read);
                return;
            }
            _gzip.Dispose(); // writes the rest of the deflate data and the trailer
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
