using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace ObjectStorage.Benchmarks;

/// <summary>
/// BucketStore against raw AmazonS3Client calls on the same s3rver and the same client settings.
/// Start s3rver by hand (see docs/benchmarks.md) and pass its endpoint in OBJSTORE_S3_ENDPOINT.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class S3Benchmarks
{
    private const string Bucket = "objstore-tests";
    private const string Prefix = "bench-s3";
    private const int ListedKeys = 10_000;

    private readonly byte[] _small = new byte[4 << 10];
    private readonly byte[] _large = new byte[8 << 20];
    private AmazonS3Client _client = null!;
    private BucketStore _store = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        var endpoint = Environment.GetEnvironmentVariable("OBJSTORE_S3_ENDPOINT")
            ?? throw new InvalidOperationException("Set OBJSTORE_S3_ENDPOINT to a running s3rver (docs/benchmarks.md).");
        new Random(1).NextBytes(_small);
        new Random(2).NextBytes(_large);
        _client = new AmazonS3Client(new BasicAWSCredentials("S3RVER", "S3RVER"), new AmazonS3Config
        {
            ServiceURL = endpoint,
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        });
        _store = new BucketStore(_client, new BucketStoreOptions { BucketName = Bucket, Prefix = Prefix });
        await _store.PutAsync("get/small", _small);
        await _store.PutAsync("get/large", _large);
        // The listed keys survive between runs; only missing ones are written.
        var present = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var key in _store.KeysAsync("list/")) present.Add(key);
        var missing = Enumerable.Range(0, ListedKeys).Select(i => $"list/{i:D6}").Where(k => !present.Contains(k));
        await Parallel.ForEachAsync(missing, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (key, ct) => await _store.PutAsync(key, new byte[] { 1 }, ct));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
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
        await _client.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = key, InputStream = body, UseChunkEncoding = false });
    }

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
        using var response = await _client.GetObjectAsync(Bucket, key);
        var data = new byte[response.ContentLength];
        await response.ResponseStream.ReadExactlyAsync(data);
        return data;
    }

    // ---- list --------------------------------------------------------------------------------

    [Benchmark(Baseline = true), BenchmarkCategory("List 10,000 keys")]
    public async Task<int> RawList10000()
    {
        var request = new ListObjectsV2Request { BucketName = Bucket, Prefix = $"{Prefix}/list/" };
        int count = 0;
        while (true)
        {
            var page = await _client.ListObjectsV2Async(request);
            count += page.S3Objects?.Count ?? 0;
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
