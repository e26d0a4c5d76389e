using System.IO.Compression;

namespace ObjectStorage;

/// <summary>
/// Compresses objects with gzip on the way into an inner store and decompresses them on the way
/// out; each inner object is a plain .gz file that any gunzip reads.
/// </summary>
/// <remarks>
/// Streamed puts compress while they read, so a large object is never held whole in memory.
/// <see cref="ObjectInfo.Size"/> here is the uncompressed size, the length a get returns, so that
/// sizes compare with other stores. Each object this store writes ends in a size record: an empty
/// second gzip member whose header holds the object's length (gunzip adds nothing for it), so a
/// stat reads 34 bytes at the end of the inner object and decompresses nothing. An object without
/// the record (written by another program, perhaps several members as <c>cat a.gz b.gz</c> makes)
/// is measured by decompressing it as it streams, within the expansion limits of
/// <see cref="GzipStoreOptions"/>, which every read also keeps. ETags are the inner store's, but
/// they are not comparable as content hashes (<see cref="ETagKind"/> is null).
/// </remarks>
public sealed partial class GzipStore : WrapperStore
{
    private const int ChunkBytes = 64 * 1024;

    private readonly GzipStoreOptions _options;
    private readonly ExpansionLimit _limit;

    /// <summary>Wraps <paramref name="inner"/>, compressing at <paramref name="level"/>, with the default expansion limits.</summary>
    public GzipStore(ObjectStore inner, CompressionLevel level = CompressionLevel.Fastest, bool leaveOpen = false)
        : this(inner, new GzipStoreOptions { CompressionLevel = level }, leaveOpen) { }

    /// <summary>Wraps <paramref name="inner"/> with these options; throws <see cref="ArgumentOutOfRangeException"/> for a limit that is not positive.</summary>
    public GzipStore(ObjectStore inner, GzipStoreOptions options, bool leaveOpen = false) : base(inner, leaveOpen)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _limit = ExpansionLimit.Checked(options.MaxExpandedBytes, options.MaxExpansionRatio);
    }

    /// <summary>The options the store was made with.</summary>
    public GzipStoreOptions Options => _options;

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
        using var plain = OpenReadCore(key);
        return plain is null ? null : ReadWhole(key, plain);
    }

    /// <inheritdoc/>
    protected override async ValueTask<byte[]?> GetAsyncCore(string key, CancellationToken cancellationToken)
    {
        var plain = await OpenReadAsyncCore(key, cancellationToken).ConfigureAwait(false);
        if (plain is null) return null;
        await using (plain.ConfigureAwait(false)) return await ReadWholeAsync(key, plain, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A stream that decompresses as it is read and throws <see cref="ObjectStoreException"/> once the object passes the expansion limits.</summary>
    protected override Stream? OpenReadCore(string key)
    {
        var compressed = base.OpenReadCore(key);
        return compressed is null ? null : new DecompressingReader(this, key, compressed);
    }

    /// <inheritdoc cref="OpenReadCore(string)"/>
    protected override async ValueTask<Stream?> OpenReadAsyncCore(string key, CancellationToken cancellationToken)
    {
        var compressed = await base.OpenReadAsyncCore(key, cancellationToken).ConfigureAwait(false);
        return compressed is null ? null : new DecompressingReader(this, key, compressed);
    }

    /// <inheritdoc/>
    protected override Stream? OpenRangeCore(string key, long offset, long? length) =>
        RangeReadStream.Slice(OpenReadCore(key), offset, length);

    /// <inheritdoc/>
    protected override async ValueTask<Stream?> OpenRangeAsyncCore(string key, long offset, long? length, CancellationToken cancellationToken) =>
        await RangeReadStream.SliceAsync(await OpenReadAsyncCore(key, cancellationToken).ConfigureAwait(false), offset, length, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    protected override void PutCore(string key, ReadOnlyMemory<byte> data, PutOptions options) => base.PutCore(key, Compress(data), options);

    /// <summary>Compresses each object, then hands the batch to the inner store, atomic there if it is there.</summary>
    protected override void PutManyCore(IReadOnlyList<KeyValuePair<string, ReadOnlyMemory<byte>>> objects) =>
        base.PutManyCore(Compressed(objects));

    /// <inheritdoc cref="PutManyCore(IReadOnlyList{KeyValuePair{string, ReadOnlyMemory{byte}}})"/>
    protected override ValueTask PutManyAsyncCore(IReadOnlyList<KeyValuePair<string, ReadOnlyMemory<byte>>> objects, CancellationToken cancellationToken) =>
        base.PutManyAsyncCore(Compressed(objects), cancellationToken);

    /// <inheritdoc/>
    protected override ValueTask PutAsyncCore(string key, ReadOnlyMemory<byte> data, PutOptions options, CancellationToken cancellationToken) =>
        base.PutAsyncCore(key, Compress(data), options, cancellationToken);

    /// <inheritdoc/>
    protected override void PutStreamCore(string key, Stream data, PutOptions options)
    {
        using var compressing = new CompressingReader(data, _options.CompressionLevel);
        base.PutStreamCore(key, compressing, options);
    }

    /// <inheritdoc/>
    protected override async ValueTask PutStreamAsyncCore(string key, Stream data, PutOptions options, CancellationToken cancellationToken)
    {
        await using var compressing = new CompressingReader(data, _options.CompressionLevel);
        await base.PutStreamAsyncCore(key, compressing, options, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    protected override bool PutIfNotExistsCore(string key, ReadOnlyMemory<byte> data, PutOptions options) => base.PutIfNotExistsCore(key, Compress(data), options);

    /// <inheritdoc/>
    protected override ValueTask<bool> PutIfNotExistsAsyncCore(string key, ReadOnlyMemory<byte> data, PutOptions options, CancellationToken cancellationToken) =>
        base.PutIfNotExistsAsyncCore(key, Compress(data), options, cancellationToken);

    /// <summary>The uncompressed size from the object's size record, or, for an object without one, by decompressing it within the limits.</summary>
    protected override ObjectInfo? StatCore(string key)
    {
        var info = base.StatCore(key);
        return info is null ? null : WithUncompressedSize(info);
    }

    /// <inheritdoc cref="StatCore(string)"/>
    protected override async ValueTask<ObjectInfo?> StatAsyncCore(string key, CancellationToken cancellationToken)
    {
        var info = await base.StatAsyncCore(key, cancellationToken).ConfigureAwait(false);
        return info is null ? null : await WithUncompressedSizeAsync(info, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Objects with their uncompressed sizes; one past the expansion limits is skipped and reported through <see cref="ObjectStore.EntrySkipped"/>.</summary>
    protected override IEnumerable<ObjectInfo> ListCore(string prefix)
    {
        foreach (var info in base.ListCore(prefix))
        {
            ObjectInfo? sized;
            try
            {
                sized = WithUncompressedSize(info);
            }
            catch (ExpansionRefused ex)
            {
                ReportSkipped(info.Key, ex.Message);
                continue;
            }
            if (sized is not null) yield return sized;
        }
    }

    /// <inheritdoc cref="ListCore(string)"/>
    protected override async IAsyncEnumerable<ObjectInfo> ListAsyncCore(string prefix, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var info in base.ListAsyncCore(prefix, cancellationToken).ConfigureAwait(false))
        {
            ObjectInfo? sized;
            try
            {
                sized = await WithUncompressedSizeAsync(info, cancellationToken).ConfigureAwait(false);
            }
            catch (ExpansionRefused ex)
            {
                ReportSkipped(info.Key, ex.Message);
                continue;
            }
            if (sized is not null) yield return sized;
        }
    }

    private KeyValuePair<string, ReadOnlyMemory<byte>>[] Compressed(IReadOnlyList<KeyValuePair<string, ReadOnlyMemory<byte>>> objects) =>
        [.. objects.Select(o => KeyValuePair.Create(o.Key, Compress(o.Value)))];

    private ReadOnlyMemory<byte> Compress(ReadOnlyMemory<byte> data)
    {
        var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, _options.CompressionLevel, leaveOpen: true)) gzip.Write(data.Span);
        SizeRecord.Write(buffer, data.Length);
        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }

    private byte[] ReadWhole(string key, Stream plain)
    {
        using var copy = new MemoryStream();
        var buffer = new byte[ChunkBytes];
        int n;
        while ((n = plain.Read(buffer)) > 0) Append(key, copy, buffer, n);
        return copy.ToArray();
    }

    private async ValueTask<byte[]> ReadWholeAsync(string key, Stream plain, CancellationToken cancellationToken)
    {
        using var copy = new MemoryStream();
        var buffer = new byte[ChunkBytes];
        int n;
        while ((n = await plain.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0) Append(key, copy, buffer, n);
        return copy.ToArray();
    }

    private void Append(string key, MemoryStream copy, byte[] buffer, int count)
    {
        if (copy.Length + count > Array.MaxLength)
            throw Failure(key, $"the object expands to more than {Array.MaxLength:N0} bytes, too large for one array; read it with OpenRead");
        copy.Write(buffer, 0, count);
    }

    // Null when the object was deleted after it was listed.
    private ObjectInfo? WithUncompressedSize(ObjectInfo info)
    {
        if (info.Size >= SizeRecord.Length)
        {
            using var tail = base.OpenRangeCore(info.Key, info.Size - SizeRecord.Length, SizeRecord.Length);
            if (tail is null) return null;
            if (SizeRecord.Read(tail) is { } recorded) return info with { Size = recorded };
        }
        using var plain = OpenReadCore(info.Key);
        if (plain is null) return null;
        var buffer = new byte[ChunkBytes];
        long total = 0;
        int n;
        while ((n = plain.Read(buffer)) > 0) total += n;
        return info with { Size = total };
    }

    private async ValueTask<ObjectInfo?> WithUncompressedSizeAsync(ObjectInfo info, CancellationToken cancellationToken)
    {
        if (info.Size >= SizeRecord.Length)
        {
            var tail = await base.OpenRangeAsyncCore(info.Key, info.Size - SizeRecord.Length, SizeRecord.Length, cancellationToken).ConfigureAwait(false);
            if (tail is null) return null;
            await using (tail.ConfigureAwait(false))
            {
                if (await SizeRecord.ReadAsync(tail, cancellationToken).ConfigureAwait(false) is { } recorded) return info with { Size = recorded };
            }
        }
        var plain = await OpenReadAsyncCore(info.Key, cancellationToken).ConfigureAwait(false);
        if (plain is null) return null;
        await using (plain.ConfigureAwait(false))
        {
            var buffer = new byte[ChunkBytes];
            long total = 0;
            int n;
            while ((n = await plain.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0) total += n;
            return info with { Size = total };
        }
    }

    // The size record at the end of the inner object as it is stored now, or null where it has none.
    private long? StoredRecord(string key)
    {
        var info = Inner.Stat(key);
        if (info is null || info.Size < SizeRecord.Length) return null;
        using var tail = Inner.TryOpenRead(key, info.Size - SizeRecord.Length, SizeRecord.Length);
        return tail is null ? null : SizeRecord.Read(tail);
    }

    private async ValueTask<long?> StoredRecordAsync(string key, CancellationToken cancellationToken)
    {
        var info = await Inner.StatAsync(key, cancellationToken).ConfigureAwait(false);
        if (info is null || info.Size < SizeRecord.Length) return null;
        var tail = await Inner.TryOpenReadAsync(key, info.Size - SizeRecord.Length, SizeRecord.Length, cancellationToken).ConfigureAwait(false);
        if (tail is null) return null;
        await using (tail.ConfigureAwait(false)) return await SizeRecord.ReadAsync(tail, cancellationToken).ConfigureAwait(false);
    }

    private ObjectStoreException NotGzip(string key, Exception inner) =>
        Failure(key, "the stored object is not valid gzip data", inner);
}
