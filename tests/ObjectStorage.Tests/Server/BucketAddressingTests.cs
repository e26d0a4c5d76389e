using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Server;

/// <summary>
/// Virtual-host addressing (BUCKET.localhost:PORT) with the AWS SDK, and CreateBucket/DeleteBucket
/// where the server's options make buckets as stores.
/// </summary>
public sealed class BucketAddressingTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly List<string> _deleted = [];
    private readonly Dictionary<string, DictStore> _made = [];
    private ServedStores _served = null!;

    public async ValueTask InitializeAsync() => _served = await ServedStores.StartAsync(["dict"], o => o with
    {
        CreateBucket = name =>
        {
            var store = new DictStore();
            lock (_made) _made[name] = store;
            return store;
        },
        DeleteBucket = (name, store) =>
        {
            if (name == ServedStores.BucketOf("dict")) throw new NotSupportedException("The dict bucket stays.");
            lock (_deleted) _deleted.Add(name);
            store.Dispose();
        },
    });

    public async ValueTask DisposeAsync() => await _served.DisposeAsync();

    [Fact]
    public async Task Virtual_host_requests_address_the_bucket_named_by_the_host()
    {
        using var client = VirtualHostClient();
        var bucket = ServedStores.BucketOf("dict");

        await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "a//b/../c", ContentBody = "virtual" }, Ct);
        using var read = await client.GetObjectAsync(bucket, "a//b/../c", Ct);
        var listed = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket }, Ct);

        Assert.Equal("virtual"u8.ToArray(), await _served.Buckets[bucket].GetAsync("a//b/../c", Ct));
        Assert.Equal("virtual", await new StreamReader(read.ResponseStream).ReadToEndAsync(Ct));
        Assert.Equal(["a//b/../c"], listed.S3Objects.Select(o => o.Key));
    }

    [Fact]
    public async Task A_created_bucket_is_a_new_store_and_DeleteBucket_removes_it_only_when_empty()
    {
        using var client = VirtualHostClient();

        await client.PutBucketAsync("made-by-client", Ct);
        // S3's legacy answer in us-east-1 (the server's default region): its owner creating a bucket again is a success that changes nothing.
        await client.PutObjectAsync(new PutObjectRequest { BucketName = "made-by-client", Key = "before", ContentBody = "stays" }, Ct);
        await client.PutBucketAsync("made-by-client", Ct);
        var keptByAgain = _made["made-by-client"].Get("before");
        await client.DeleteObjectAsync("made-by-client", "before", Ct);
        var badName = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => client.PutBucketAsync(new PutBucketRequest { BucketName = "Bad_Name", UseClientRegion = true }, Ct));
        await client.PutObjectAsync(new PutObjectRequest { BucketName = "made-by-client", Key = "k", ContentBody = "v" }, Ct);
        var storedInNewStore = _made["made-by-client"].Get("k");
        var notEmpty = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => client.DeleteBucketAsync("made-by-client", Ct));
        var listedWhileThere = await client.ListBucketsAsync(Ct);
        await client.DeleteObjectAsync("made-by-client", "k", Ct);
        await client.DeleteBucketAsync("made-by-client", Ct);
        var kept = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => client.DeleteBucketAsync(ServedStores.BucketOf("dict"), Ct));
        var gone = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "made-by-client" }, Ct));

        Assert.Equal("v"u8.ToArray(), storedInNewStore);
        Assert.Equal("stays"u8.ToArray(), keptByAgain);
        Assert.Equal(HttpStatusCode.BadRequest, badName.StatusCode);
        Assert.Equal(("BucketNotEmpty", HttpStatusCode.Conflict), (notEmpty.ErrorCode, notEmpty.StatusCode));
        Assert.Contains("made-by-client", listedWhileThere.Buckets.Select(b => b.BucketName));
        Assert.Equal(["made-by-client"], _deleted);
        Assert.Equal(("NotImplemented", HttpStatusCode.NotImplemented), (kept.ErrorCode, kept.StatusCode));
        Assert.Equal("NoSuchBucket", gone.ErrorCode);
    }

    [Fact]
    public async Task A_server_without_a_bucket_factory_answers_CreateBucket_of_a_new_name_with_NotImplemented()
    {
        await using var fixedBuckets = await ServedStores.StartAsync(["dict"]);
        using var client = fixedBuckets.CreateClient();

        var refused = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => client.PutBucketAsync("another-bucket", Ct));
        await client.PutBucketAsync(ServedStores.BucketOf("dict"), Ct);

        Assert.Equal(("NotImplemented", HttpStatusCode.NotImplemented), (refused.ErrorCode, refused.StatusCode));
    }

    [Fact]
    public async Task Outside_us_east_1_creating_an_own_bucket_again_is_BucketAlreadyOwnedByYou()
    {
        await using var elsewhere = await ServedStores.StartAsync(["dict"], o => o with { Region = "eu-west-1" });
        using var client = elsewhere.CreateClient();

        var existing = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => client.PutBucketAsync(ServedStores.BucketOf("dict"), Ct));

        Assert.Equal(("BucketAlreadyOwnedByYou", HttpStatusCode.Conflict), (existing.ErrorCode, existing.StatusCode));
    }

    // The SDK in virtual-host style sends "BUCKET.localhost:PORT"; the resolver here knows only
    // "localhost", so every connection goes to the server's loopback port, with the Host header as sent.
    private AmazonS3Client VirtualHostClient() =>
        new(new BasicAWSCredentials(ServedStores.Credentials.AccessKeyId, ServedStores.Credentials.SecretAccessKey), new AmazonS3Config
        {
            ServiceURL = $"http://localhost:{_served.Server.Endpoint.Port}",
            ForcePathStyle = false,
            AuthenticationRegion = "us-east-1",
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            MaxErrorRetry = 0,
            HttpClientFactory = new LoopbackHttpClientFactory(_served.Server.Endpoint.Port),
        });

    private sealed class LoopbackHttpClientFactory(int port) : HttpClientFactory
    {
        public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        });
    }
}
