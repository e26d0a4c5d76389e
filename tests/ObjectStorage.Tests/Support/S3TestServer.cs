using Amazon.Runtime;
using Amazon.S3;

[assembly: AssemblyFixture(typeof(ObjectStorage.Tests.Support.S3TestServer.Shutdown))]

namespace ObjectStorage.Tests.Support;

/// <summary>
/// An S3-compatible server the S3 tests run against, and the client settings it needs
/// (docs/stores/s3.md). <see cref="S3rver"/> is the one named by OBJSTORE_S3_ENDPOINT or, without
/// it, a private s3rver this test run installs and starts on a free loopback port; <see cref="Rgw"/>
/// is the Ceph RADOS Gateway named by OBJSTORE_RGW_ENDPOINT (.ci/run starts one with
/// .ci/ceph-rgw.sh). A server that is not there makes its tests skip, saying how to get it.
/// </summary>
public sealed class S3TestServer
{
    public const string EndpointVariable = "OBJSTORE_S3_ENDPOINT";
    public const string RgwEndpointVariable = "OBJSTORE_RGW_ENDPOINT";

    /// <summary>s3rver: the environment's, or one started for this run (it does not check signatures).</summary>
    public static S3TestServer S3rver { get; } = new("s3rver", () => Environment.GetEnvironmentVariable(EndpointVariable) is { Length: > 0 } e
        ? new Connection(e, S3rverProcess.Credentials)
        : S3rverProcess.StartShared(Bucket));

    /// <summary>Ceph RGW, where OBJSTORE_RGW_ENDPOINT, OBJSTORE_RGW_ACCESS_KEY and OBJSTORE_RGW_SECRET_KEY name it.</summary>
    public static S3TestServer Rgw { get; } = new("rgw", () =>
    {
        var endpoint = Environment.GetEnvironmentVariable(RgwEndpointVariable);
        var access = Environment.GetEnvironmentVariable("OBJSTORE_RGW_ACCESS_KEY");
        var secret = Environment.GetEnvironmentVariable("OBJSTORE_RGW_SECRET_KEY");
        return endpoint is { Length: > 0 } && access is { Length: > 0 } && secret is { Length: > 0 }
            ? new Connection(endpoint, new BasicAWSCredentials(access, secret))
            : new Connection(null, null, $"{RgwEndpointVariable}, OBJSTORE_RGW_ACCESS_KEY and OBJSTORE_RGW_SECRET_KEY are not set: run .ci/run, which starts Ceph RGW with .ci/ceph-rgw.sh and sets them");
    });

    /// <summary>Where a server answers, with what credentials, or why it is not there.</summary>
    public sealed record Connection(string? Endpoint, AWSCredentials? Credentials, string? Missing = null);

    private readonly Lazy<Connection> _connection;

    private S3TestServer(string name, Func<Connection> connect)
    {
        Name = name;
        _connection = new Lazy<Connection>(connect, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>"s3rver" or "rgw".</summary>
    public string Name { get; }

    /// <summary>Measured: RGW answers a second <c>If-None-Match: *</c> put with 412; s3rver ignores the header.</summary>
    public bool HonoursConditionalPut => this == Rgw;

    /// <summary>
    /// Measured: RGW stores aws-chunked bodies right when the SDK sends no checksum trailer and
    /// refuses them with one; s3rver answers 200 to both and keeps the chunk framing in the object.
    /// </summary>
    public bool StoresChunkedUploads(bool checksumOnlyWhenRequired) => this == Rgw && checksumOnlyWhenRequired;

    /// <summary>True where the server is configured by the environment, without starting anything.</summary>
    public bool Configured => Environment.GetEnvironmentVariable(this == Rgw ? RgwEndpointVariable : EndpointVariable) is { Length: > 0 };

    /// <summary>The test bucket, the same name on every server.</summary>
    public static string Bucket => Environment.GetEnvironmentVariable("OBJSTORE_S3_BUCKET") is { Length: > 0 } b ? b : "objstore-tests";

    /// <summary>The server's credentials (after <see cref="RequireEndpoint"/> has found it).</summary>
    public AWSCredentials Credentials => _connection.Value.Credentials ?? throw Skip(_connection.Value.Missing!);

    /// <summary>The endpoint, or a visible skip that says how to get one.</summary>
    public string RequireEndpoint() => _connection.Value.Endpoint ?? throw Skip(_connection.Value.Missing!);

    /// <summary>Skips the test with <paramref name="reason"/>; the exception is never reached, it only tells the compiler so.</summary>
    public static Exception Skip(string reason)
    {
        Assert.Skip(reason);
        return new InvalidOperationException(reason);
    }

    /// <summary>Which server OBJSTORE_S3_ENDPOINT runs: "s3rver" (the default) or "moto" (python3 -m moto.server).</summary>
    public static string Kind => Environment.GetEnvironmentVariable("OBJSTORE_S3_SERVER") is { Length: > 0 } k ? k : "s3rver";

    /// <summary>
    /// Why this server cannot hold <paramref name="key"/> as S3 does, or null. Ceph RGW holds every
    /// key. The rest are limits of the stand-in, not of S3: s3rver routes keys with an empty segment to a 404, stores keys as paths
    /// on its disk (so "." and ".." segments collapse), and answers a listing that meets a control
    /// character with a 500; moto's router answers a key with a line break with a 404.
    /// </summary>
    public string? CannotHold(string key)
    {
        if (this == Rgw) return null;
        if (Kind == "moto") return key.AsSpan().IndexOfAny('\n', '\r') >= 0 ? "moto's router refuses a key with a line break" : null;
        if (key.Split('/').Any(s => s is "" or "." or ".."))
            return "s3rver routes empty segments to a 404 and collapses '.' and '..' segments on its disk";
        if (key.Any(char.IsControl)) return "s3rver's listing fails with a 500 on a control character";
        return null;
    }

    /// <summary>A key prefix no other test uses.</summary>
    public static string NewPrefix(string tag) => $"{tag}/{Guid.NewGuid():N}";

    /// <summary>
    /// Options for a store on this server (or on <paramref name="endpoint"/>, a private server of
    /// its kind); path style and checksums follow from the endpoint, as for any compatible service.
    /// </summary>
    public BucketStoreOptions Options(string prefix, string? endpoint = null, string? bucket = null) => new()
    {
        BucketName = bucket ?? Bucket,
        Prefix = prefix,
        ServiceUrl = endpoint ?? RequireEndpoint(),
        Credentials = Credentials,
        PartSize = BucketStore.MinPartSize,
    };

    /// <summary>A raw SDK client for this server, configured as docs/stores/s3.md says.</summary>
    public AmazonS3Client CreateClient(string? endpoint = null, int? maxErrorRetry = null, bool checksumOnlyWhenRequired = true)
    {
        var config = new AmazonS3Config
        {
            ServiceURL = endpoint ?? RequireEndpoint(),
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
        };
        if (checksumOnlyWhenRequired)
        {
            config.RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED;
            config.ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED;
        }
        if (maxErrorRetry is { } retries) config.MaxErrorRetry = retries;
        return new AmazonS3Client(Credentials, config);
    }

    public override string ToString() => Name;

    /// <summary>Stops the s3rver this run started, when the last test is done.</summary>
    public sealed class Shutdown : IDisposable
    {
        public void Dispose() => S3rverProcess.StopShared();
    }
}
