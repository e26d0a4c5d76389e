namespace ObjectStorage;

/// <summary>What a store knows about one object without reading its bytes.</summary>
/// <param name="Key">The object's key.</param>
/// <param name="Size">Length of the object in bytes.</param>
/// <param name="LastModified">When the object was last written, or the modification time its put carried where the store keeps one (<see cref="MetadataSupport"/>).</param>
/// <param name="ETag">An opaque tag that changes whenever the object is overwritten, where the medium offers one.</param>
public sealed record ObjectInfo(string Key, long Size, DateTimeOffset? LastModified = null, string? ETag = null)
{
    /// <summary>The media type the put carried, where the store keeps it (and, in a listing, lists it); null otherwise.</summary>
    public string? ContentType { get; init; }

    /// <summary>The user metadata the put carried (empty when none), where the store keeps it (and, in a listing, lists it); null when the store does not give it here.</summary>
    public UserMetadata? Metadata { get; init; }
}
