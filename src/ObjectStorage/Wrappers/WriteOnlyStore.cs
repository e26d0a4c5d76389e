namespace ObjectStorage;

/// <summary>
/// A view of an inner store that can only change it, as the Python original's <c>WriteonlyStore</c>:
/// puts, batch puts and deletes go through; every read, existence check, metadata query, listing and
/// presigned URL throws <see cref="NotSupportedException"/> naming this store (<see cref="ObjectStore.CanList"/> is false).
/// </summary>
/// <remarks>For a drop box or an audit sink, where writers must not learn what is already stored.</remarks>
public sealed class WriteOnlyStore(ObjectStore inner, bool leaveOpen = false) : WrapperStore(inner, leaveOpen)
{
    /// <inheritdoc/>
    public override bool CanList => false;

    /// <inheritdoc/>
    public override bool CanPresign => false;

    // A create-only put would tell the writer whether the key exists: that is a read.
    /// <inheritdoc/>
    public override bool CanPutIfNotExists => false;

    /// <inheritdoc/>
    public override bool IsRangeReadNative => false;

    /// <inheritdoc/>
    public override string ToString() => $"WriteOnlyStore({Inner})";

    /// <inheritdoc/>
    protected override byte[]? GetCore(string key) => throw Refused("Get");

    /// <inheritdoc/>
    protected override ValueTask<byte[]?> GetAsyncCore(string key, CancellationToken cancellationToken) => throw Refused("Get");

    /// <inheritdoc/>
    protected override Stream? OpenReadCore(string key) => throw Refused("OpenRead");

    /// <inheritdoc/>
    protected override ValueTask<Stream?> OpenReadAsyncCore(string key, CancellationToken cancellationToken) => throw Refused("OpenRead");

    /// <inheritdoc/>
    protected override Stream? OpenRangeCore(string key, long offset, long? length) => throw Refused("OpenRead");

    /// <inheritdoc/>
    protected override ValueTask<Stream?> OpenRangeAsyncCore(string key, long offset, long? length, CancellationToken cancellationToken) =>
        throw Refused("OpenRead");

    /// <inheritdoc/>
    protected override bool ExistsCore(string key) => throw Refused("Exists");

    /// <inheritdoc/>
    protected override ValueTask<bool> ExistsAsyncCore(string key, CancellationToken cancellationToken) => throw Refused("Exists");

    /// <inheritdoc/>
    protected override ObjectInfo? StatCore(string key) => throw Refused("Stat");

    /// <inheritdoc/>
    protected override ValueTask<ObjectInfo?> StatAsyncCore(string key, CancellationToken cancellationToken) => throw Refused("Stat");

    // A prefix delete would list first; deleting named keys stays allowed.
    /// <inheritdoc/>
    protected override long DeletePrefixCore(string prefix) => throw Refused("DeletePrefix");

    /// <inheritdoc/>
    protected override ValueTask<long> DeletePrefixAsyncCore(string prefix, CancellationToken cancellationToken) => throw Refused("DeletePrefix");

    private NotSupportedException Refused(string operation) => Unsupported(operation, "it is write-only");
}
