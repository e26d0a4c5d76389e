namespace ObjectStorage;

/// <summary>How <see cref="FilesystemStore"/> and <see cref="HashdirStore"/> write to disk and treat symbolic links.</summary>
public sealed record FilesystemStoreOptions
{
    /// <summary>
    /// Flush each object's bytes to the disk before it replaces the old version (fsync of the
    /// temporary file), so a power loss or kernel crash cannot leave an empty or partial file
    /// after the rename. Off by default: a killed process never leaves one anyway, because the
    /// rename only happens after every byte is written, and flushing costs a disk round trip per put.
    /// </summary>
    public bool FlushToDisk { get; init; }

    /// <summary>Whether symbolic links under the root are followed; by default (<see cref="LinkPolicy.Skip"/>) they are not, and nothing outside the root is ever touched.</summary>
    public LinkPolicy Links { get; init; } = LinkPolicy.Skip;
}
