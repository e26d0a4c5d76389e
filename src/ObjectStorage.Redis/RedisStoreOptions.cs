namespace ObjectStorage;

/// <summary>How a <see cref="RedisStore"/> that makes its own connection reaches Redis, and the limits it keeps.</summary>
public sealed record RedisStoreOptions
{
    /// <summary>Redis's own limit on one string (proto-max-bulk-len's default), and this store's default object limit.</summary>
    public const long RedisStringLimit = 512L << 20;

    /// <summary>A StackExchange.Redis configuration string, e.g. <c>127.0.0.1:6379,password=secret,ssl=true</c>.</summary>
    public string Configuration { get; init; } = "127.0.0.1:6379";

    /// <summary>The database number; -1 (the default) for the connection's default database (0 unless the configuration names one).</summary>
    public int Database { get; init; } = -1;

    /// <summary>
    /// A string every Redis key of the store starts with (for example <c>"photos:"</c>), or empty
    /// for none: the Python original writes the object key itself as the Redis key.
    /// </summary>
    public string Prefix { get; init; } = "";

    /// <summary>The largest object a put accepts, in bytes; at most <see cref="RedisStringLimit"/>, the largest string Redis holds.</summary>
    public long MaxObjectBytes { get; init; } = RedisStringLimit;

    /// <summary>How many keys one SCAN step asks Redis for (its COUNT hint) when listing.</summary>
    public int ScanPageSize { get; init; } = 1000;
}
