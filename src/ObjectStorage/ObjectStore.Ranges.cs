namespace ObjectStorage;

// Ranged reads. One set of edge rules for every store: a negative offset or length is refused
// (ArgumentOutOfRangeException naming the store and key); a missing key is ObjectNotFoundException
// however empty the range; a length of 0, or an offset at or after the end, gives an empty stream
// (S3 answers 416 there, which BucketStore maps to the same); a length past the end gives the
// bytes up to the end; a null length means "to the end".
public abstract partial class ObjectStore
{
    /// <summary>
    /// Opens <paramref name="length"/> bytes of the object from <paramref name="offset"/> (to its end
    /// when null); a range past the end gives fewer bytes or none. Throws <see cref="ObjectNotFoundException"/>
    /// when absent. Reads only the range where <see cref="IsRangeReadNative"/>, otherwise skips to it.
    /// </summary>
    public Stream OpenRead(string key, long offset, long? length = null) =>
        OpenRange(key, offset, length, required: true)!;

    /// <inheritdoc cref="OpenRead(string, long, long?)"/>
    public async ValueTask<Stream> OpenReadAsync(string key, long offset, long? length = null, CancellationToken cancellationToken = default) =>
        (await OpenRangeAsync(key, offset, length, required: true, cancellationToken).ConfigureAwait(false))!;

    /// <summary>Opens a byte range of the object as <see cref="OpenRead(string, long, long?)"/> does; null when the object does not exist.</summary>
    public Stream? TryOpenRead(string key, long offset, long? length = null) =>
        OpenRange(key, offset, length, required: false);

    /// <inheritdoc cref="TryOpenRead(string, long, long?)"/>
    public ValueTask<Stream?> TryOpenReadAsync(string key, long offset, long? length = null, CancellationToken cancellationToken = default) =>
        OpenRangeAsync(key, offset, length, required: false, cancellationToken);

    /// <summary>The range as a stream, or null when the object is absent. By default the object's stream, moved to the offset and cut at the length.</summary>
    protected virtual Stream? OpenRangeCore(string key, long offset, long? length)
    {
        if (Has(Overrides.OpenRangeAsync)) return RunSync(() => OpenRangeAsyncCore(key, offset, length, CancellationToken.None));
        return RangeReadStream.Slice(OpenReadCore(key), offset, length);
    }

    /// <inheritdoc cref="OpenRangeCore(string, long, long?)"/>
    protected virtual async ValueTask<Stream?> OpenRangeAsyncCore(string key, long offset, long? length, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (Has(Overrides.OpenRange)) return OpenRangeCore(key, offset, length);
        var whole = await OpenReadAsyncCore(key, cancellationToken).ConfigureAwait(false);
        return await RangeReadStream.SliceAsync(whole, offset, length, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The range of a whole-object stream (null stays null), which it takes over: moved to the offset
    /// by seeking or by reading and discarding, and cut at the length. The fallback of
    /// <see cref="OpenRangeCore(string, long, long?)"/>, for media that read part of an object and must finish the job.
    /// </summary>
    protected static Stream? Slice(Stream? whole, long offset, long? length) => RangeReadStream.Slice(whole, offset, length);

    private Stream? OpenRange(string key, long offset, long? length, bool required)
    {
        CheckRange(key, offset, length);
        var op = StoreOperation.Start(this, StoreOperations.OpenRead, key);
        try
        {
            var stream = OpenRangeCore(key, offset, length);
            if (stream is null && required) throw NotFound(key);
            op.Succeeded();
            return stream;
        }
        catch (Exception e) when (op.Failed(e))
        {
            throw;
        }
    }

    private async ValueTask<Stream?> OpenRangeAsync(string key, long offset, long? length, bool required, CancellationToken cancellationToken)
    {
        CheckRange(key, offset, length);
        var op = StoreOperation.Start(this, StoreOperations.OpenRead, key);
        try
        {
            var stream = await OpenRangeAsyncCore(key, offset, length, cancellationToken).ConfigureAwait(false);
            if (stream is null && required) throw NotFound(key);
            op.Succeeded();
            return stream;
        }
        catch (Exception e) when (op.Failed(e))
        {
            throw;
        }
    }

    private void CheckRange(string key, long offset, long? length)
    {
        Check(key);
        if (offset < 0)
            throw new ArgumentOutOfRangeException(nameof(offset), offset, $"{this}: a range of '{key}' must start at offset 0 or later.");
        if (length < 0)
            throw new ArgumentOutOfRangeException(nameof(length), length, $"{this}: a range of '{key}' must have a length of 0 or more (null: to the end).");
    }
}
