[assembly: ObjectStorage.StoreUrlProvider(typeof(ObjectStorage.BucketStoreUrl.Provider))]

namespace ObjectStorage;

/// <summary>
/// The <c>s3://</c> store URL: <c>s3://bucket[/prefix][?endpoint=URL&amp;region=R&amp;path_style=true]</c>.
/// Credentials come from the AWS SDK's default chain (<c>AWS_ACCESS_KEY_ID</c>/<c>AWS_SECRET_ACCESS_KEY</c>,
/// profiles, instance roles). With an <c>endpoint</c> (an S3-compatible service) path-style
/// addressing and checksums-only-when-required are on unless the URL turns them off: the defaults
/// <see cref="BucketStoreOptions"/> gives, so the URL passes only what it names.
/// </summary>
public static class BucketStoreUrl
{
    private static readonly StoreUrlScheme s_scheme = new("s3", Open, ["s3://bucket[/prefix][?endpoint=http://host:9000&region=us-east-1&path_style=true]"]);

    /// <summary>Registers the <c>s3</c> scheme with <see cref="StoreUrl"/>, which already finds it in a referencing application; calling it again does no harm.</summary>
    public static void Register() => StoreUrl.Register(s_scheme);

    private static ObjectStore Open(StoreUrl url, StoreAccess access)
    {
        url.AllowOnly("endpoint", "region", "path_style", "checksum_when_required", "chunked", "conditional_put", "part_size_mb", "timeout");
        var location = url.Location;
        int slash = location.IndexOf('/', StringComparison.Ordinal);
        var bucket = slash < 0 ? location : location[..slash];
        var prefix = slash < 0 ? "" : location[(slash + 1)..].TrimEnd('/');
        if (bucket.Length == 0) throw url.Invalid("the bucket name is missing (s3://bucket/prefix)");
        if (prefix.Length > 0 && ObjectKey.FindBrokenRule(prefix, isPrefix: false) is { } rule)
            throw url.Invalid($"the prefix \"{prefix}\" is not a valid key: {rule}");

        var endpoint = url.Option("endpoint");
        if (endpoint is not null && !Uri.TryCreate(endpoint, UriKind.Absolute, out _))
            throw url.Invalid($"endpoint \"{endpoint}\" is not an absolute URL (e.g. http://127.0.0.1:9000)");
        int? timeout = url.Option("timeout") is null ? null : url.IntOption("timeout", 0, min: 1, max: 3600);
        return new BucketStore(new BucketStoreOptions
        {
            BucketName = bucket,
            Prefix = prefix,
            ServiceUrl = endpoint,
            Region = url.Option("region"),
            ForcePathStyle = url.Option("path_style") is null ? null : url.BoolOption("path_style", fallback: false),
            ChecksumOnlyWhenRequired = url.Option("checksum_when_required") is null ? null : url.BoolOption("checksum_when_required", fallback: false),
            UseChunkEncoding = url.BoolOption("chunked", false),
            SupportsConditionalPut = url.Option("conditional_put") is null ? null : url.BoolOption("conditional_put", false),
            PartSize = url.IntOption("part_size_mb", 8, min: 5, max: 5 * 1024) << 20,
            Timeout = timeout is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
        });
    }

    // The Python original's BucketStore(s3_url, s3_access_key, s3_secret_key, bucket_name); botocore_config_kwargs has no
    // counterpart in the AWS SDK for .NET and is accepted and ignored, so its files load.
    private static ObjectStore FromConfig(StoreConfigSettings config)
    {
        config.AllowOnly("s3_url", "s3_access_key", "s3_secret_key", "bucket_name", "botocore_config_kwargs", "prefix", "region", "path_style", "chunked",
            "conditional_put");
        var endpoint = config.Value("s3_url");
        if (endpoint is not null && !Uri.TryCreate(endpoint, UriKind.Absolute, out _))
            throw config.Invalid($"s3_url \"{endpoint}\" is not an absolute URL (e.g. http://127.0.0.1:9000)");
        var (accessKey, secretKey) = (config.Value("s3_access_key"), config.Value("s3_secret_key"));
        if ((accessKey is null) != (secretKey is null)) throw config.Invalid("s3_access_key and s3_secret_key go together");
        return new BucketStore(new BucketStoreOptions
        {
            BucketName = config.Require("bucket_name"),
            Prefix = config.Value("prefix")?.TrimEnd('/') ?? "",
            ServiceUrl = endpoint,
            Region = config.Value("region"),
            Credentials = accessKey is null ? null : new Amazon.Runtime.BasicAWSCredentials(accessKey, secretKey),
            ForcePathStyle = config.Value("path_style") is null ? null : config.Bool("path_style", false),
            UseChunkEncoding = config.Bool("chunked", false),
            SupportsConditionalPut = config.Value("conditional_put") is null ? null : config.Bool("conditional_put", false),
        });
    }

    /// <summary>Declares the <c>s3</c> scheme and the <c>BucketStore</c> configuration type to <see cref="StoreUrl"/>'s discovery.</summary>
    internal sealed class Provider : IStoreUrlProvider
    {
        public IEnumerable<StoreUrlScheme> Schemes => [s_scheme];

        public IEnumerable<StoreConfigType> ConfigTypes => [new("BucketStore", FromConfig), new("AsyncBucketStore", FromConfig)];
    }
}
