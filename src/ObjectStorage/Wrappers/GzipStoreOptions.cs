using System.IO.Compression;

namespace ObjectStorage;

/// <summary>Options of a <see cref="GzipStore"/>.</summary>
public sealed record GzipStoreOptions
{
    /// <summary>The defaults: fastest compression, 16 GiB and 100:1 expansion limits.</summary>
    public static GzipStoreOptions Default { get; } = new();

    /// <summary>Compression of the objects the store writes; <see cref="CompressionLevel.Fastest"/> by default.</summary>
    public CompressionLevel CompressionLevel { get; init; } = CompressionLevel.Fastest;

    /// <summary>
    /// The most bytes one object may expand to (16 GiB by default); a read, stat or listing of a larger one throws
    /// <see cref="ObjectStoreException"/> as soon as decompression passes it, without holding it in memory.
    /// </summary>
    public long MaxExpandedBytes { get; init; } = ExpansionLimit.DefaultMaxBytes;

    /// <summary>
    /// The most times its compressed size one object may expand to, once past its first MiB (100 by default, as
    /// Apache POI's zip reader); a gzip of zeros expands about 1000 times, so raise it for such data you trust.
    /// </summary>
    public int MaxExpansionRatio { get; init; } = ExpansionLimit.DefaultMaxRatio;
}
