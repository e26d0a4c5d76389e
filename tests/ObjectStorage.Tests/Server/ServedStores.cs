using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using ObjectStorage.Server;
using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Server;

/// <summary>
/// <c>objstore serve</c>'s server on a free loopback port over real stores, and the real AWS SDK
/// pointed at it: the one helper every server test builds its fixture through.
/// </summary>
public sealed class ServedStores : IAsyncDisposable
{
    public static readonly S3Credentials Credentials = new("objstore-test-key", "objstore-test-secret");

    private readonly List<IDisposable> _cleanup;

    private ServedStores(S3Server server, IReadOnlyDictionary<string, ObjectStore> buckets, List<IDisposable> cleanup)
    {
        Server = server;
        Buckets = buckets;
        _cleanup = cleanup;
    }

    public S3Server Server { get; }

    public IReadOnlyDictionary<string, ObjectStore> Buckets { get; }

    public string Endpoint => Server.Endpoint.ToString().TrimEnd('/');

    /// <summary>Serves each named store of <paramref name="media"/> (dict, filesystem, sqlite, ...) as a bucket of that name plus "-bucket".</summary>
    public static async Task<ServedStores> StartAsync(IEnumerable<string> media, Func<S3ServerOptions, S3ServerOptions>? configure = null)
    {
        var cleanup = new List<IDisposable>();
        var buckets = new Dictionary<string, ObjectStore>();
        foreach (var medium in media)
        {
            var made = StoreFactories.Named(medium).Create();
            cleanup.Add(made);
            buckets[BucketOf(medium)] = made.Store;
        }
        var options = new S3ServerOptions { Buckets = buckets, Credentials = [Credentials] };
        var server = await S3Server.StartAsync(configure?.Invoke(options) ?? options, new IPEndPoint(IPAddress.Loopback, 0));
        return new ServedStores(server, buckets, cleanup);
    }

    public static string BucketOf(string medium) => medium + "-bucket";

    /// <summary>A raw SDK client for the server; <paramref name="credentials"/> other than the server's test a rejected signature.</summary>
    public AmazonS3Client CreateClient(BasicAWSCredentials? credentials = null, bool checksumsWhenSupported = false) =>
        new(credentials ?? new BasicAWSCredentials(Credentials.AccessKeyId, Credentials.SecretAccessKey), new AmazonS3Config
        {
            ServiceURL = Endpoint,
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            RequestChecksumCalculation = checksumsWhenSupported ? RequestChecksumCalculation.WHEN_SUPPORTED : RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = checksumsWhenSupported ? ResponseChecksumValidation.WHEN_SUPPORTED : ResponseChecksumValidation.WHEN_REQUIRED,
            MaxErrorRetry = 0,
        });

    /// <summary>A BucketStore on the served bucket of <paramref name="medium"/>, sending bodies as the <paramref name="upload"/> mode says.</summary>
    public BucketStoreOptions StoreOptions(string medium, string prefix, UploadMode upload) => new()
    {
        BucketName = BucketOf(medium),
        Prefix = prefix,
        ServiceUrl = Endpoint,
        Credentials = new BasicAWSCredentials(Credentials.AccessKeyId, Credentials.SecretAccessKey),
        ForcePathStyle = true,
        UseChunkEncoding = upload != UploadMode.Plain,
        ChecksumOnlyWhenRequired = upload != UploadMode.ChunkedWithChecksumTrailer,
        SupportsConditionalPut = Buckets[BucketOf(medium)].CanPutIfNotExists,
        // S3's smallest part, so that the large-object conformance tests go up as multipart uploads.
        PartSize = BucketStore.MinPartSize,
        MaxErrorRetry = 0,
    };

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        foreach (var item in _cleanup) item.Dispose();
    }
}

/// <summary>How the SDK sends an upload's body: the three SigV4 payload modes the server must decode and verify.</summary>
public enum UploadMode
{
    /// <summary>A plain body.</summary>
    Plain,

    /// <summary>aws-chunked with a signature per chunk (STREAMING-AWS4-HMAC-SHA256-PAYLOAD).</summary>
    SignedChunks,

    /// <summary>aws-chunked with signed chunks and a CRC32 trailer (STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER), the SDK's default.</summary>
    ChunkedWithChecksumTrailer,
}
