using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;

namespace ObjectStorage;

/// <summary>
/// Objects in an Azure Blob Storage container (or Azurite), optionally under a key prefix that
/// isolates the store. Async-native over Azure.Storage.Blobs; the sync members run the async ones
/// without deadlocking under a <see cref="SynchronizationContext"/>. Puts are atomic as Azure's
/// are: an object larger than <see cref="AzureBlobStoreOptions.BlockSize"/> goes up as staged
/// blocks that only the final commit makes visible.
/// </summary>
public sealed partial class AzureBlobStore : ObjectStore
{
    /// <summary>Azure's longest blob name, in characters.</summary>
    public const int MaxBlobNameLength = 1024;

    /// <summary>Azure's largest number of '/'-separated segments in a blob name.</summary>
    public const int MaxSegments = 254;

    private readonly BlobContainerClient _container;
    private readonly AzureBlobStoreOptions _options;
    private readonly string _prefix;
    private readonly string _description;

    /// <summary>A store over <paramref name="container"/> (whose credential it uses), optionally under <paramref name="prefix"/>.</summary>
    public AzureBlobStore(BlobContainerClient container, string prefix = "")
        : this(container ?? throw new ArgumentNullException(nameof(container)),
               new AzureBlobStoreOptions { ContainerName = container.Name, Prefix = prefix ?? throw new ArgumentNullException(nameof(prefix)) }) { }

    /// <summary>A store over <paramref name="container"/> with the prefix and upload settings of <paramref name="options"/>.</summary>
    public AzureBlobStore(BlobContainerClient container, AzureBlobStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(container);
        ArgumentNullException.ThrowIfNull(options);
        if (options.BlockSize < 1) throw new ArgumentOutOfRangeException(nameof(options), options.BlockSize, "BlockSize must be at least 1 byte.");
        _container = container;
        _options = options;
        _prefix = NormalizePrefix(options.Prefix);
        _description = $"AzureBlobStore({_container.Uri.AbsoluteUri.TrimEnd('/')}/{_prefix})";
    }

    /// <summary>A store with its own client, from the connection string of <paramref name="options"/> or of <c>AZURE_STORAGE_CONNECTION_STRING</c>.</summary>
    public AzureBlobStore(AzureBlobStoreOptions options)
        : this(ContainerFrom(options ?? throw new ArgumentNullException(nameof(options))), options) { }

    private static BlobContainerClient ContainerFrom(AzureBlobStoreOptions options)
    {
        var connection = options.ConnectionString ?? Environment.GetEnvironmentVariable(AzureBlobStoreOptions.ConnectionStringVariable);
        if (string.IsNullOrWhiteSpace(connection))
            throw new ArgumentException($"No connection string: set AzureBlobStoreOptions.ConnectionString or the environment variable {AzureBlobStoreOptions.ConnectionStringVariable}.", nameof(options));
        if (string.IsNullOrWhiteSpace(options.ContainerName)) throw new ArgumentException("ContainerName must name a container.", nameof(options));
        return new BlobContainerClient(connection, options.ContainerName);
    }

    private static string NormalizePrefix(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        if (prefix.Length == 0) return "";
        var trimmed = prefix.EndsWith('/') ? prefix[..^1] : prefix;
        ObjectKey.Validate(trimmed);
        return trimmed + "/";
    }

    /// <summary>The container at its account's endpoint, with the store's prefix as the key prefix.</summary>
    public override IReadOnlyList<StoreLocation> Locations =>
        [new StoreLocation($"azure {_container.Uri.AbsoluteUri.TrimEnd('/')}", "", StoreLocation.TreeLayout, _prefix)];

    /// <summary>The container the store lives in.</summary>
    public string ContainerName => _container.Name;

    /// <summary>The key prefix of the store inside the container, ending with '/', or empty.</summary>
    public string Prefix => _prefix;

    /// <summary>True: a put with <c>If-None-Match: *</c> fails when the blob exists.</summary>
    public override bool CanPutIfNotExists => true;

    /// <inheritdoc/>
    public override string ToString() => _description;

    private BlockBlobClient Blob(string key) => _container.GetBlockBlobClient(BlobName(key));

    // Azure's limits on blob names, checked before any request so that nothing is half-done.
    private string BlobName(string key)
    {
        var name = _prefix + key;
        if (FindAzureLimit(key, name) is { } limit) throw new InvalidKeyException(key, $"{this} cannot hold it: {limit}");
        return name;
    }

    // Internal for the tests, which leave out of the shared key corpus what Azure cannot hold.
    internal static string? FindAzureLimit(string key, string name)
    {
        if (name.Length > MaxBlobNameLength)
            return $"Azure blob names are at most {MaxBlobNameLength} characters, and with the store's prefix this one is {name.Length}";
        foreach (var c in key)
            if (char.IsControl(c))
                return $"Azure refuses control characters (U+0000..U+001F, U+007F..U+009F) in blob names; this key has U+{(int)c:X4}";
        if (key.Contains('\\'))
            return "Azure turns '\\' in a blob name into '/', so a key with a backslash would name another blob";
        var segments = name.Split('/');
        if (segments.Length > MaxSegments)
            return $"Azure blob names have at most {MaxSegments} '/'-separated segments, and this one has {segments.Length}";
        // The name travels as a URL path, where HTTP clients resolve "." and ".." segments away:
        // "a/../b" would read and write the blob "b".
        if (segments.Any(static s => s is "." or ".."))
            return "Azure blob names travel in a URL path, where \".\" and \"..\" segments are resolved away, so a key with such a segment would name another blob";
        // Azure advises against such names, and Azurite trims trailing slashes: "a/" would become "a".
        if (key.EndsWith('/') || key.EndsWith('.'))
            return "Azure blob names must not end with '/' or '.' (Azure advises against them, and its emulator trims trailing slashes, so \"a/\" would become \"a\")";
        return null;
    }
}
