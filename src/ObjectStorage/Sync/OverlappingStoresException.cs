namespace ObjectStorage;

/// <summary>
/// Thrown by <see cref="StoreSync"/> before it changes anything when the source and the target keep
/// objects in one place (one directory inside the other, one bucket prefix inside the other, one
/// database or archive, or one directory seen through two kinds of store), where a sync would
/// copy objects into its own source or delete them from it.
/// </summary>
public sealed class OverlappingStoresException : ArgumentException
{
    /// <summary>Names both stores and the places of each that overlap.</summary>
    public OverlappingStoresException(ObjectStore source, ObjectStore target, StoreLocation sourceLocation, StoreLocation targetLocation)
        : base($"Cannot sync {source} into {target}: they overlap ({sourceLocation} and {targetLocation}), so the sync would change its own source; " +
               "use separate places, or a prefix that keeps them apart")
    {
        SourceStore = source.ToString() ?? "";
        TargetStore = target.ToString() ?? "";
        SourceLocation = sourceLocation;
        TargetLocation = targetLocation;
    }

    /// <summary>A description of the source store.</summary>
    public string SourceStore { get; }

    /// <summary>A description of the target store.</summary>
    public string TargetStore { get; }

    /// <summary>The source's place that overlaps the target's.</summary>
    public StoreLocation SourceLocation { get; }

    /// <summary>The target's place that overlaps the source's.</summary>
    public StoreLocation TargetLocation { get; }
}
