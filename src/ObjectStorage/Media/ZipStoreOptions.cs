using System.IO.Compression;

namespace ObjectStorage;

/// <summary>How a <see cref="ZipStore"/> opens its archive.</summary>
public enum ZipStoreMode
{
    /// <summary>Reads an existing archive; the store cannot write (<see cref="ObjectStore.CanWrite"/> is false).</summary>
    Read,

    /// <summary>Starts a new, empty archive, replacing any file at the path (the old file stays intact until the new one is complete).</summary>
    Create,

    /// <summary>Opens an existing archive (or starts a new one when the file is missing) to read, add, overwrite and delete objects.</summary>
    Update,
}

/// <summary>Options of a <see cref="ZipStore"/>.</summary>
public sealed record ZipStoreOptions
{
    /// <summary>Read, create or update; <see cref="ZipStoreMode.Update"/> by default.</summary>
    public ZipStoreMode Mode { get; init; } = ZipStoreMode.Update;

    /// <summary>
    /// Compression of the entries the store writes; <see cref="CompressionLevel.NoCompression"/>
    /// writes them "stored". Entries that are rewritten on a flush are recompressed at this level.
    /// </summary>
    public CompressionLevel CompressionLevel { get; init; } = CompressionLevel.Optimal;

    /// <summary>
    /// Whether reads check each archive entry's CRC-32 and length when they reach its end (true
    /// by default). System.IO.Compression on .NET 10 does not check them itself; turn this off
    /// only for archives you trust, to save the checksum's cost (about as much as inflating).
    /// </summary>
    public bool VerifyChecksums { get; init; } = true;

    /// <summary>
    /// Where objects written in a session wait until the archive is rebuilt; the archive's own
    /// directory when null. The rebuilt archive itself is always written beside the archive, so
    /// that it can be renamed into place.
    /// </summary>
    public string? SpoolDirectory { get; init; }

    /// <summary>
    /// The most bytes one entry may expand to (16 GiB by default): a get or read of a larger entry throws
    /// <see cref="ObjectStoreException"/> before anything is decompressed, judged by the sizes the archive declares.
    /// </summary>
    public long MaxExpandedBytes { get; init; } = ExpansionLimit.DefaultMaxBytes;

    /// <summary>
    /// The most times its compressed size one entry of over 1 MiB may expand to (100 by default, as Apache POI's
    /// zip reader); an entry of zeros expands about 1000 times, so raise it for such archives you trust.
    /// </summary>
    public int MaxExpansionRatio { get; init; } = ExpansionLimit.DefaultMaxRatio;
}
