namespace ObjectStorage;

/// <summary>Where an <see cref="AzureBlobStore"/> that makes its own client keeps its objects, and how it uploads them.</summary>
public sealed record AzureBlobStoreOptions
{
    /// <summary>The environment variable the connection string is read from when <see cref="ConnectionString"/> is not set.</summary>
    public const string ConnectionStringVariable = "AZURE_STORAGE_CONNECTION_STRING";

    /// <summary>The storage account's connection string; null to read <see cref="ConnectionStringVariable"/>.</summary>
    public string? ConnectionString { get; init; }

    /// <summary>The container (3 to 63 lower-case letters, digits and hyphens).</summary>
    public required string ContainerName { get; init; }

    /// <summary>A key prefix that isolates the store inside the container ("photos" keeps keys under "photos/"), or empty.</summary>
    public string Prefix { get; init; } = "";

    /// <summary>
    /// Objects up to this size go up in one Put Blob request; larger ones, and streams that run
    /// past it, as staged blocks of this size committed once at the end (8 MiB by default).
    /// </summary>
    public int BlockSize { get; init; } = 8 << 20;

    /// <summary>Whether the first write creates the container when it does not exist.</summary>
    public bool CreateContainer { get; init; }

    // Blobs per listing page; null for the service's own (5,000). Tests make it small to list across pages.
    internal int? ListPageSize { get; init; }
}
