namespace ObjectStorage;

/// <summary>
/// The store types configuration files can name, found as store URL schemes are: each package's
/// <see cref="IStoreUrlProvider"/> lists its own in <see cref="IStoreUrlProvider.ConfigTypes"/>, so
/// referencing a package (SQLite, S3, Azure, Redis, ...) is enough for its types to load.
/// </summary>
public static class StoreConfigTypes
{
    /// <summary>Makes <paramref name="type"/> available by its name, replacing a discovered or earlier one of that name.</summary>
    public static void Register(StoreConfigType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentException.ThrowIfNullOrWhiteSpace(type.Name);
        StoreUrl.RegisterConfigType(type);
    }

    /// <summary>The type named <paramref name="name"/> (exactly, as the original's class names), or null when no referenced package declares it.</summary>
    public static StoreConfigType? Find(string name) => StoreUrl.FindConfigType(name);

    /// <summary>Every known type name, sorted, for error messages.</summary>
    public static IReadOnlyList<string> Names => StoreUrl.ConfigTypeNames;

    /// <summary>Providers that failed to load, for error messages; empty when none did.</summary>
    public static string ProviderFailures => StoreUrl.ProviderFailures;
}
