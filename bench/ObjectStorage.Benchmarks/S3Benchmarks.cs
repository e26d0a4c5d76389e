using Amazon.S3;
using Amazon.S3.Model;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace ObjectStorage.Benchmarks;

/// <summary>
/// BucketStore against raw AmazonS3Client calls on the same server and the same client settings.
/// The server comes from the environment (<see cref="S3Server"/>: OBJSTORE_S3_ENDPOINT,
/// OBJSTORE_S3_ACCESS_KEY, OBJSTORE_S3_SECRET_KEY, OBJSTORE_S3_BUCKET); bench/run-all.sh starts
/// s3rver for it, or points it at Ceph RGW. Everything lives under the prefix "bench-s3/":
/// <c>dotnet run ... -- s3-clean bench-s3/</c> deletes it.
/// </summary>
/// <remarks>
/// The multipart baseline makes by hand the calls BucketStore makes (Initiate, UploadPart of
/// 8 MiB slices of the same array with 4 in flight, Complete), so the ratio is the store's own
/// cost; TransferUtility would choose its own part size, concurrency and buffering and measure those.
/// </remarks>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class S3Benchmarks
{
    private const string Prefix = "bench-s3";
    private const int ListedKeys = 10_000;
    private const int PartSize = 8 << 20;
    private const int PartsInFlight = 4;

    private readonly byte[] _small = new byte[4 << 10];
    private readonly byte[] _large = new byte[8 << 20];
    private byte[] _huge = [];
    private string _bucket = "";
    private AmazonS3Client _client = null!;
    private BucketStore _store = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        var server = S3Server.FromEnvironment();
        _bucket = server.Bucket;
        new Random(1).NextBytes(_small);
        new Random(2).NextBytes(_large);
        _client = server.CreateClient();
        _store = new BucketStore(_client, new BucketStoreOptions { BucketName = _bucket, Prefix = Prefix, PartSize = PartSize, MaxConcurrentParts = PartsInFlight });
        await _store.PutAsync("get/small", _small);
        await _store.PutAsync("get/large", _large);
        // The listed keys survive between runs (each benchmark runs in a process of its own); only missing ones are written.
        var present = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var key in _store.KeysAsync("list/")) present.Add(key);
        var missing = Enumerable.Range(0, ListedKeys).Select(i => $"list/{i:D6}").Where(k => !present.Contains(k));
        await Parallel.ForEachAsync(missing, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (key, ct) => await _store.PutAsync(key, new byte[] { 1 }, ct));
    }

    // Only the multipart category needs the 256 MiB array: the other processes do not allocate it.
    [GlobalSetup(Targets = [nameof(RawMultipart256MiB), nameof(StoreMultipart256MiB)])]
    public async Task SetupMultipart()
    {
        await Setup();
        _huge = new byte[256 << 20];
        new Random(3).NextBytes(_huge);
    }

    // The replaced objects of the large puts would fill a small in-memory Ceph OSD (S3Server.CollectGarbage);
    // an iteration cleanup makes each iteration one invocation, which at 30 ms and more per put is still long enough to time.
    [IterationCleanup(Targets = [nameof(RawPut8MiB), nameof(StorePut8MiB), nameof(RawMultipart256MiB), nameof(StoreMultipart256MiB)])]
    public void CollectGarbage() => S3Server.CollectGarbage();

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await _store.DeleteManyAsync(["put/large", "get/large", "multipart/raw", "multipart/store"]);
        S3Server.CollectGarbage();
        _store.Dispose();
        _client.Dispose();
    }

    // ---- put ---------------------------------------------------------------------------------

    [Benchmark(Baseline = true), BenchmarkCategory("Put 4 KiB")]
    public Task RawPut4KiB() => RawPut($"{Prefix}/put/small", _small);

    [Benchmark, BenchmarkCategory("Put 4 KiB")]
    public ValueTask StorePut4KiB() => _store.PutAsync("put/small", _small);

    [Benchmark(Baseline = true), BenchmarkCategory("Put 8 MiB")]
    public Task RawPut8MiB() => RawPut($"{Prefix}/put/large", _large);

    [Benchmark, BenchmarkCategory("Put 8 MiB")]
    public ValueTask StorePut8MiB() => _store.PutAsync("put/large", _large);

    private async Task RawPut(string key, byte[] data)
    {
        using var body = new MemoryStream(data, writable: false);
        await _client.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = key, InputStream = body, UseChunkEncoding = false });
    }

    // ---- multipart ---------------------------------------------------------------------------

    [Benchmark(Baseline = true), BenchmarkCategory("Multipart 256 MiB")]
    public async Task RawMultipart256MiB()
    {
        var key = $"{Prefix}/multipart/raw";
        var upload = await _client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = _bucket, Key = key });
        var etags = new PartETag[_huge.Length / PartSize];
        await Parallel.ForEachAsync(Enumerable.Range(0, etags.Length), new ParallelOptions { MaxDegreeOfParallelism = PartsInFlight }, async (i, ct) =>
        {
            using var body = new MemoryStream(_huge, i * PartSize, PartSize, writable: false);
            var part = new UploadPartRequest { BucketName = _bucket, Key = key, UploadId = upload.UploadId, PartNumber = i + 1, InputStream = body, UseChunkEncoding = false };
            etags[i] = new PartETag(i + 1, (await _client.UploadPartAsync(part, ct)).ETag);
        });
        await _client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = _bucket, Key = key, UploadId = upload.UploadId, PartETags = [.. etags] });
    }

    [Benchmark, BenchmarkCategory("Multipart 256 MiB")]
    public ValueTask StoreMultipart256MiB() => _store.PutAsync("multipart/store", _huge);

    // ---- get ---------------------------------------------------------------------------------

    [Benchmark(Baseline = true), BenchmarkCategory("Get 4 KiB")]
    public Task<byte[]> RawGet4KiB() => RawGet($"{Prefix}/get/small");

    [Benchmark, BenchmarkCategory("Get 4 KiB")]
    public ValueTask<byte[]> StoreGet4KiB() => _store.GetAsync("get/small");

    [Benchmark(Baseline = true), BenchmarkCategory("Get 8 MiB")]
    public Task<byte[]> RawGet8MiB() => RawGet($"{Prefix}/get/large");

    [Benchmark, BenchmarkCategory("Get 8 MiB")]
    public ValueTask<byte[]> StoreGet8MiB() => _store.GetAsync("get/large");

    private async Task<byte[]> RawGet(string key)
    {
        using var response = await _client.GetObjectAsync(_bucket, key);
        var data = new byte[response.ContentLength];
        await response.ResponseStream.ReadExactlyAsync(data);
        return data;
    }

    // ---- list --------------------------------------------------------------------------------

    [Benchmark(Baseline = true), BenchmarkCategory("List 10,000 keys")]
    public Task<int> RawList10000() => RawList(urlEncoded: false);

    // The request BucketStore sends (keys URL-encoded, so that characters XML cannot carry survive) and
    // the decoding it needs: where the store's cost over the plain raw listing comes from.
    [Benchmark, BenchmarkCategory("List 10,000 keys")]
    public Task<int> RawList10000UrlEncoded() => RawList(urlEncoded: true);

    private async Task<int> RawList(bool urlEncoded)
    {
        var request = new ListObjectsV2Request { BucketName = _bucket, Prefix = $"{Prefix}/list/" };
        if (urlEncoded) request.Encoding = EncodingType.Url;
        int count = 0;
        while (true)
        {
            var page = await _client.ListObjectsV2Async(request);
            foreach (var entry in page.S3Objects ?? [])
                if ((page.Encoding == EncodingType.Url ? System.Net.WebUtility.UrlDecode(entry.Key) : entry.Key).Length > 0) count++;
            if (page.IsTruncated != true) return count;
            request.ContinuationToken = page.NextContinuationToken;
        }
    }

    [Benchmark, BenchmarkCategory("List 10,000 keys")]
    public async Task<int> StoreList10000()
    {
        int count = 0;
        await foreach (var _ in _store.ListAsync("list/")) count++;
        return count;
    }
}
