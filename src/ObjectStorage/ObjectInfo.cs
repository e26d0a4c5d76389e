namespace ObjectStorage;

/// <summary>What a store knows about one object without reading its bytes.</summary>
/// <param name="Key">The object's key.</param>
/// <param name="Size">Length of the object in bytes.</param>
/// <param name="LastModified">When the object was last written, where the medium records it.</param>
/// <param name="ETag">An opaque tag that changes whenever the object is overwritten, where the medium offers one.</param>
public sealed record ObjectInfo(string Key, long Size, DateTimeOffset? LastModified = null, string? ETag = null);
