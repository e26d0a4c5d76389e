namespace ObjectStorage;

/// <summary>
/// A view of an inner store that cannot change it: reads, ranged reads, listings and presigned GET
/// URLs go through; every put or delete, batch put, batch or prefix delete and presigned PUT URL
/// throws <see cref="NotSupportedException"/> (<see cref="ObjectStore.CanWrite"/> and
/// <see cref="ObjectStore.CanDelete"/> are false).
/// </summary>
public sealed class ReadOnlyStore(ObjectStore inner, bool leaveOpen = false) : WrapperStore(inner, leaveOpen)
{
    /// <inheritdoc/>
    public override bool CanWrite => false;

    /// <inheritdoc/>
    public override bool CanDelete => false;

    /// <inheritdoc/>
    public override bool CanPutIfNotExists => false;

    /// <inheritdoc/>
    public override bool IsPutManyAtomic => false;

    /// <inheritdoc/>
    public override string ToString() => $"ReadOnlyStore({Inner})";
}
