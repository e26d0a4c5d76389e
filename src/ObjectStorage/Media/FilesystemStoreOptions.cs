namespace ObjectStorage;

/// <summary>How <see cref="FilesystemStore"/> and <see cref="HashdirStore"/> write to disk.</summary>
public sealed record FilesystemStoreOptions
{
    /// <summary>
    /// Flush each object's bytes to the disk before it replaces the old version (fsync of the
    /// temporary file), so a power loss or kernel crash cannot leave an empty or partial file
    /// after the rename. Off by default: a killed process never leaves one anyway, because the
    /// rename only happens after every byte is written, and flushing costs a disk round trip per put.
    /// </summary>
    public bool FlushToDisk { get; init; }
}
