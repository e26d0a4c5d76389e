using System.Text;
using StackExchange.Redis;

namespace ObjectStorage;

/// <summary>
/// Objects as Redis strings, in the Python original's layout: the Redis key is the object key
/// (after an optional prefix), the value its bytes, so that both read each other's data.
/// Async-native over StackExchange.Redis; each put is one SET, atomic as Redis commands are.
/// Listing SCANs the keyspace and sorts what it found, because Redis keeps no order; objects are
/// limited to <see cref="RedisStoreOptions.MaxObjectBytes"/> (Redis strings hold at most 512 MiB).
/// </summary>
public sealed partial class RedisStore : ObjectStore
{
    private readonly IConnectionMultiplexer _connection;
    private readonly bool _ownsConnection;
    private readonly IDatabase _db;
    private readonly RedisStoreOptions _options;
    private readonly string _prefix;
    private readonly byte[] _prefixBytes;
    private readonly string _description;

    /// <summary>A store over <paramref name="connection"/>, which the caller keeps owning and disposes after the store.</summary>
    public RedisStore(IConnectionMultiplexer connection, RedisStoreOptions? options = null)
        : this(connection ?? throw new ArgumentNullException(nameof(connection)), options ?? new RedisStoreOptions(), ownsConnection: false) { }

    /// <summary>A store with its own connection, made from <paramref name="options"/>; disposing the store closes it. Throws <see cref="ObjectStoreException"/> when Redis cannot be reached.</summary>
    public RedisStore(RedisStoreOptions options)
        : this(Connect(options ?? throw new ArgumentNullException(nameof(options))), options, ownsConnection: true) { }

    private RedisStore(IConnectionMultiplexer connection, RedisStoreOptions options, bool ownsConnection)
    {
        ArgumentNullException.ThrowIfNull(options.Prefix, nameof(options));
        if (options.MaxObjectBytes is < 0 or > RedisStoreOptions.RedisStringLimit)
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxObjectBytes, $"MaxObjectBytes must be between 0 and {RedisStoreOptions.RedisStringLimit} (the largest string Redis holds).");
        if (options.ScanPageSize < 1) throw new ArgumentOutOfRangeException(nameof(options), options.ScanPageSize, "ScanPageSize must be at least 1.");
        if (options.Prefix.Length > 0) ObjectKey.ValidatePrefix(options.Prefix);
        _connection = connection;
        _ownsConnection = ownsConnection;
        _options = options;
        _db = connection.GetDatabase(options.Database);
        _prefix = options.Prefix;
        _prefixBytes = Encoding.UTF8.GetBytes(_prefix);
        _description = $"RedisStore({Endpoint} db {_db.Database}{(_prefix.Length > 0 ? $", keys under {ObjectKey.Describe(_prefix)}" : "")})";
    }

    private static ConnectionMultiplexer Connect(RedisStoreOptions options)
    {
        try
        {
            return ConnectionMultiplexer.Connect(options.Configuration);
        }
        catch (RedisException ex)
        {
            throw new ObjectStoreException($"RedisStore({options.Configuration})", null, $"could not connect to Redis: {ex.Message}", ex);
        }
    }

    /// <summary>The Redis server and database, with the store's prefix as the key prefix.</summary>
    public override IReadOnlyList<StoreLocation> Locations =>
        [new StoreLocation($"redis {Endpoint} db {_db.Database}", "", StoreLocation.TreeLayout, _prefix)];

    /// <summary>The prefix every Redis key of the store starts with, or empty.</summary>
    public string Prefix => _prefix;

    /// <summary>The largest object a put accepts, in bytes.</summary>
    public long MaxObjectBytes => _options.MaxObjectBytes;

    /// <summary>True: SET with NX creates only-if-absent in one command.</summary>
    public override bool CanPutIfNotExists => true;

    /// <summary>True: a range is one GETRANGE; only its bytes leave Redis.</summary>
    public override bool IsRangeReadNative => true;

    /// <summary>True: deletes go to Redis as DEL commands of up to 1,000 keys.</summary>
    public override bool IsDeleteManyNative => true;

    /// <summary>True: a batch is one MSET, which Redis applies all at once.</summary>
    public override bool IsPutManyAtomic => true;

    /// <summary>None: a Redis string holds only the bytes, as the Python original writes them; a put that carries metadata is refused.</summary>
    public override MetadataSupport MetadataSupport => MetadataSupport.None;

    /// <summary>"sha1": a tag from <see cref="ObjectStore.Stat(string)"/> is the SHA-1 of the object's bytes, so equal tags mean equal content.</summary>
    public override string? ETagKind => "sha1";

    /// <inheritdoc/>
    public override string ToString() => _description;

    private string Endpoint => _connection.GetEndPoints() is [var first, ..] ? Format(first) : "no endpoint";

    private static string Format(System.Net.EndPoint endpoint) => endpoint switch
    {
        System.Net.DnsEndPoint dns => $"{dns.Host}:{dns.Port}",
        _ => endpoint.ToString() ?? "endpoint",
    };

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing && _ownsConnection) _connection.Dispose();
    }

    /// <inheritdoc/>
    protected override async ValueTask DisposeAsyncCore()
    {
        if (_ownsConnection) await _connection.DisposeAsync().ConfigureAwait(false);
    }

    private RedisKey RedisKeyOf(string key) => _prefix.Length == 0 ? (RedisKey)key : (RedisKey)(_prefix + key);
}
