namespace ObjectStorage;

/// <summary>How a <see cref="CachingStore"/> fills its cache and whom it disposes.</summary>
public sealed record CachingOptions
{
    /// <summary>
    /// Objects larger than this are read and written through without being cached. Null (the
    /// default) means the cache's own capacity when it is a bounded <see cref="DictStore"/>, and
    /// no limit otherwise.
    /// </summary>
    public long? MaxObjectBytes { get; init; }

    /// <summary>Disposing the caching store disposes the main store and the cache. On by default.</summary>
    public bool OwnsStores { get; init; } = true;
}
