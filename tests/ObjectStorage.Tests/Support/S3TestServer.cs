using Amazon.Runtime;
using Amazon.S3;

namespace ObjectStorage.Tests.Support;

/// <summary>
/// The s3rver that .ci/run starts on loopback (endpoint in OBJSTORE_S3_ENDPOINT, bucket in
/// OBJSTORE_S3_BUCKET), and the client settings it needs (docs/stores/s3.md, "Testing against s3rver"). Without the
/// variable, S3 tests skip visibly.
/// </summary>
public static class S3TestServer
{
    public const string EndpointVariable = "OBJSTORE_S3_ENDPOINT";
    public const string PackageVariable = "OBJSTORE_S3RVER_PACKAGE";

    /// <summary>Fixed by s3rver; it does not check signatures.</summary>
    public static readonly BasicAWSCredentials Credentials = new("S3RVER", "S3RVER");

    public static string? Endpoint => Environment.GetEnvironmentVariable(EndpointVariable) is { Length: > 0 } e ? e : null;

    public static string Bucket => Environment.GetEnvironmentVariable("OBJSTORE_S3_BUCKET") is { Length: > 0 } b ? b : "objstore-tests";

    /// <summary>The endpoint, or a visible skip that says how to get one.</summary>
    public static string RequireEndpoint() =>
        Endpoint ?? throw SkipException($"{EndpointVariable} is not set: run .ci/run, which starts s3rver on loopback and sets it");

    /// <summary>The installed s3rver package (for tests that start their own server), or a visible skip.</summary>
    public static string RequirePackage() =>
        Environment.GetEnvironmentVariable(PackageVariable) is { Length: > 0 } p && Directory.Exists(p)
            ? p
            : throw SkipException($"{PackageVariable} is not set: run .ci/run, which installs s3rver and sets it");

    private static Exception SkipException(string reason)
    {
        Assert.Skip(reason);
        return new InvalidOperationException(reason);
    }

    /// <summary>Which server OBJSTORE_S3_ENDPOINT runs: "s3rver" (the default) or "moto" (python3 -m moto.server).</summary>
    public static string Kind => Environment.GetEnvironmentVariable("OBJSTORE_S3_SERVER") is { Length: > 0 } k ? k : "s3rver";

    /// <summary>
    /// Why the test server cannot hold <paramref name="key"/> as S3 does, or null. Limits of the
    /// stand-in, not of S3: s3rver routes keys with an empty segment to a 404, stores keys as paths
    /// on its disk (so "." and ".." segments collapse), and answers a listing that meets a control
    /// character with a 500; moto's router answers a key with a line break with a 404.
    /// </summary>
    public static string? CannotHold(string key)
    {
        if (Kind == "moto") return key.AsSpan().IndexOfAny('\n', '\r') >= 0 ? "moto's router refuses a key with a line break" : null;
        if (key.Split('/').Any(s => s is "" or "." or ".."))
            return "s3rver routes empty segments to a 404 and collapses '.' and '..' segments on its disk";
        if (key.Any(char.IsControl)) return "s3rver's listing fails with a 500 on a control character";
        return null;
    }

    /// <summary>A key prefix no other test uses.</summary>
    public static string NewPrefix(string tag) => $"{tag}/{Guid.NewGuid():N}";

    /// <summary>Options for a store on the test server; path style and checksums follow from the endpoint, as for any compatible service.</summary>
    public static BucketStoreOptions Options(string prefix, string? endpoint = null, string? bucket = null) => new()
    {
        BucketName = bucket ?? Bucket,
        Prefix = prefix,
        ServiceUrl = endpoint ?? RequireEndpoint(),
        Credentials = Credentials,
        UseChunkEncoding = false,
        PartSize = BucketStore.MinPartSize,
    };

    /// <summary>A raw SDK client for the test server, configured as docs/stores/s3.md, "Testing against s3rver", says.</summary>
    public static AmazonS3Client CreateClient(string? endpoint = null, int? maxErrorRetry = null)
    {
        var config = new AmazonS3Config
        {
            ServiceURL = endpoint ?? RequireEndpoint(),
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (maxErrorRetry is { } retries) config.MaxErrorRetry = retries;
        return new AmazonS3Client(Credentials, config);
    }
}
