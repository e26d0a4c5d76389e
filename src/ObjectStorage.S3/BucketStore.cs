using System.Text;
using Amazon.S3;

namespace ObjectStorage;

/// <summary>
/// Objects in an S3-compatible bucket (AWS S3, MinIO, Ceph RGW, R2), optionally under a key
/// prefix that isolates the store. Async-native: the sync members run the async ones without
/// deadlocking under a <see cref="SynchronizationContext"/>. Puts are atomic as S3's are: an
/// object larger than <see cref="BucketStoreOptions.PartSize"/> goes up as a multipart upload that
/// is aborted on failure or cancellation, so readers never see part of it.
/// </summary>
public sealed partial class BucketStore : ObjectStore
{
    /// <summary>S3's smallest part for every part of a multipart upload but the last.</summary>
    public const int MinPartSize = 5 << 20;

    private readonly IAmazonS3 _client;
    private readonly bool _ownsClient;
    private readonly BucketStoreOptions _options;
    private readonly string _bucket;
    private readonly string _prefix;
    private readonly int _prefixBytes;
    private readonly string _description;
    private volatile bool _bucketSeen;

    /// <summary>A store over <paramref name="client"/>, which the caller keeps owning and disposes after the store.</summary>
    public BucketStore(IAmazonS3 client, BucketStoreOptions options)
        : this(client ?? throw new ArgumentNullException(nameof(client)), options, ownsClient: false) { }

    /// <summary>A store over <paramref name="client"/> in <paramref name="bucketName"/>, optionally under <paramref name="prefix"/>; the caller keeps owning the client.</summary>
    public BucketStore(IAmazonS3 client, string bucketName, string prefix = "")
        : this(client, new BucketStoreOptions { BucketName = bucketName, Prefix = prefix ?? throw new ArgumentNullException(nameof(prefix)) }) { }

    /// <summary>A store with its own client built from <paramref name="options"/>; disposing the store disposes the client.</summary>
    public BucketStore(BucketStoreOptions options)
        : this(CreateClient(options), options, ownsClient: true) { }

    private BucketStore(IAmazonS3 client, BucketStoreOptions options, bool ownsClient)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.BucketName)) throw new ArgumentException("BucketName must name a bucket.", nameof(options));
        if (options.PartSize < MinPartSize) throw new ArgumentOutOfRangeException(nameof(options), $"PartSize must be at least {MinPartSize} bytes (S3's minimum part).");
        if (options.MaxConcurrentParts < 1) throw new ArgumentOutOfRangeException(nameof(options), "MaxConcurrentParts must be at least 1.");
        _client = client;
        _ownsClient = ownsClient;
        _options = options;
        _bucket = options.BucketName;
        _prefix = NormalizePrefix(options.Prefix);
        _prefixBytes = Encoding.UTF8.GetByteCount(_prefix);
        var endpoint = client.Config.ServiceURL ?? client.Config.RegionEndpoint?.SystemName ?? "default endpoint";
        _description = $"BucketStore(s3://{_bucket}/{_prefix} at {endpoint})";
    }

    private static string NormalizePrefix(string? prefix)
    {
        if (string.IsNullOrEmpty(prefix)) return "";
        var trimmed = prefix.EndsWith('/') ? prefix[..^1] : prefix;
        ObjectKey.Validate(trimmed);
        return trimmed + "/";
    }

    /// <summary>The bucket at its endpoint, with the store's prefix as the key prefix.</summary>
    public override IReadOnlyList<StoreLocation> Locations =>
        [new StoreLocation($"s3 {(_client.Config.ServiceURL ?? _client.Config.RegionEndpoint?.SystemName ?? "").TrimEnd('/')} {_bucket}", "", StoreLocation.TreeLayout, _prefix)];

    /// <summary>The bucket the store lives in.</summary>
    public string BucketName => _bucket;

    /// <summary>The key prefix of the store inside the bucket, ending with '/', or empty.</summary>
    public string Prefix => _prefix;

    /// <summary>The longest key this store holds: S3's 1024 bytes less the prefix.</summary>
    public int MaxKeyBytes => ObjectKey.MaxBytes - _prefixBytes;

    /// <summary>
    /// S3 ETags: the MD5 of a single-part object, a hash of the part MD5s for a multipart one.
    /// Equal tags mean equal content; the same content uploaded with other part sizes gets another tag.
    /// </summary>
    public override string? ETagKind => "s3-md5";

    /// <inheritdoc/>
    public override string ToString() => _description;

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing && _ownsClient) _client.Dispose();
    }

    private string FullKey(string key)
    {
        if (_prefix.Length == 0) return key;
        int bytes = Encoding.UTF8.GetByteCount(key);
        if (_prefixBytes + bytes > ObjectKey.MaxBytes)
            throw new InvalidKeyException(key, $"a key in {this} must be at most {MaxKeyBytes} bytes of UTF-8 (this one is {bytes}), because the prefix takes {_prefixBytes} of S3's {ObjectKey.MaxBytes}");
        return _prefix + key;
    }

    private static DateTimeOffset? ToOffset(DateTime? time) =>
        time is { } t ? new DateTimeOffset(t.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(t, DateTimeKind.Utc) : t.ToUniversalTime()) : null;
}
