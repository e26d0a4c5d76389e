namespace ObjectStorage;

/// <summary>The kinds of metadata a put can carry besides the bytes (<see cref="PutOptions"/>).</summary>
[Flags]
public enum MetadataKinds
{
    /// <summary>No metadata.</summary>
    None = 0,

    /// <summary>The media type of the content (<see cref="PutOptions.ContentType"/>).</summary>
    ContentType = 1,

    /// <summary>User metadata: string pairs (<see cref="PutOptions.Metadata"/>).</summary>
    UserMetadata = 2,

    /// <summary>A modification time given with the put (<see cref="PutOptions.LastModified"/>) rather than the time of the put.</summary>
    ModificationTime = 4,

    /// <summary>Every kind.</summary>
    All = ContentType | UserMetadata | ModificationTime,
}

/// <summary>
/// What metadata a store keeps, which of it its listings carry, and how finely it keeps times
/// (<see cref="ObjectStore.MetadataSupport"/>). A put that carries a kind the store does not keep
/// is refused with <see cref="NotSupportedException"/>, never dropped in silence.
/// </summary>
public sealed record MetadataSupport
{
    /// <summary>A store that keeps no metadata and gives no times.</summary>
    public static MetadataSupport None { get; } = new();

    /// <summary>The kinds a put may carry and <see cref="ObjectStore.Stat(string)"/> gives back.</summary>
    public MetadataKinds Kept { get; init; }

    /// <summary>
    /// The kinds of <see cref="Kept"/> that <see cref="ObjectStore.List(string)"/> gives too; for the
    /// others a listing's <see cref="ObjectInfo"/> holds null (content type, metadata) or the time the
    /// medium stamped (<see cref="ObjectInfo.LastModified"/>), and only Stat gives what was kept.
    /// </summary>
    public MetadataKinds Listed { get; init; }

    /// <summary>
    /// The resolution of <see cref="ObjectInfo.LastModified"/>: a time put is given back within this
    /// much of what was given (zip: 2 seconds); <see cref="TimeSpan.Zero"/> when the store gives no times.
    /// </summary>
    public TimeSpan TimePrecision { get; init; }

    /// <summary>True when the store keeps every kind in <paramref name="kinds"/>.</summary>
    public bool Keeps(MetadataKinds kinds) => (Kept & kinds) == kinds;

    /// <summary>True when listings carry every kind in <paramref name="kinds"/> as it was kept.</summary>
    public bool Lists(MetadataKinds kinds) => (Listed & kinds) == kinds;

    /// <summary>What a put through every one of <paramref name="stores"/> keeps: the kinds all keep and list, at the coarsest precision.</summary>
    public static MetadataSupport Common(IEnumerable<ObjectStore> stores)
    {
        ArgumentNullException.ThrowIfNull(stores);
        MetadataSupport? common = null;
        foreach (var store in stores)
        {
            var support = store.MetadataSupport;
            common = common is null ? support : new MetadataSupport
            {
                Kept = common.Kept & support.Kept,
                Listed = common.Listed & support.Listed,
                TimePrecision = common.TimePrecision > support.TimePrecision ? common.TimePrecision : support.TimePrecision,
            };
        }
        return common ?? None;
    }
}
