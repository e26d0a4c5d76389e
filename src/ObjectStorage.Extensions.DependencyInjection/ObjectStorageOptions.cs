namespace ObjectStorage;

/// <summary>
/// The stores a host knows by name: what <c>AddObjectStore</c> and <c>AddObjectStores</c> collect,
/// and what is validated when the host starts (see <see cref="Microsoft.Extensions.DependencyInjection.ObjectStorageServiceCollectionExtensions"/>).
/// </summary>
public sealed class ObjectStorageOptions
{
    /// <summary>The stores by name (ordinal, case-sensitive, as keyed services are).</summary>
    public IDictionary<string, StoreSettings> Stores { get; } = new Dictionary<string, StoreSettings>(StringComparer.Ordinal);
}
