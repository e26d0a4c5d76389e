using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using StackExchange.Redis;

namespace ObjectStorage.Benchmarks;

/// <summary>
/// AzureBlobStore against raw BlockBlobClient calls on the same Azurite and container
/// (OBJSTORE_AZURE_CONNECTION_STRING, container "objstore-bench"). The store's block size is 8 MiB,
/// so an 8 MiB put is one Put Blob on both sides and the ratio is the store's own cost.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class AzureBlobBenchmarks
{
    private const string Prefix = "bench-azure";
    private const int ListedKeys = 10_000;
    private readonly byte[] _small = new byte[4 << 10];
    private readonly byte[] _large = new byte[8 << 20];
    private BlobContainerClient _container = null!;
    private AzureBlobStore _store = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        var connection = Environment.GetEnvironmentVariable("OBJSTORE_AZURE_CONNECTION_STRING")
            ?? throw new InvalidOperationException("OBJSTORE_AZURE_CONNECTION_STRING names no Azure Blob service (start Azurite as .ci/run does)");
        new Random(1).NextBytes(_small);
        new Random(2).NextBytes(_large);
        _container = new BlobContainerClient(connection, "objstore-bench");
        await _container.CreateIfNotExistsAsync();
        _store = new AzureBlobStore(_container, new AzureBlobStoreOptions { ContainerName = "objstore-bench", Prefix = Prefix, BlockSize = 8 << 20 });
        await _store.PutAsync("get/small", _small);
        await _store.PutAsync("get/large", _large);
        var present = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var key in _store.KeysAsync("list/")) present.Add(key);
        var missing = Enumerable.Range(0, ListedKeys).Select(i => $"list/{i:D6}").Where(k => !present.Contains(k));
        await Parallel.ForEachAsync(missing, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (key, ct) => await _store.PutAsync(key, new byte[] { 1 }, ct));
    }

    private BlockBlobClient Raw(string name) => _container.GetBlockBlobClient($"{Prefix}/{name}");

    [Benchmark(Baseline = true), BenchmarkCategory("Put 4 KiB")]
    public async Task RawPut4KiB() => await Raw("put/small").UploadAsync(new MemoryStream(_small), new BlobUploadOptions());

    [Benchmark, BenchmarkCategory("Put 4 KiB")]
    public async Task StorePut4KiB() => await _store.PutAsync("put/small", _small);

    [Benchmark(Baseline = true), BenchmarkCategory("Put 8 MiB")]
    public async Task RawPut8MiB() => await Raw("put/large").UploadAsync(new MemoryStream(_large), new BlobUploadOptions());

    [Benchmark, BenchmarkCategory("Put 8 MiB")]
    public async Task StorePut8MiB() => await _store.PutAsync("put/large", _large);

    [Benchmark(Baseline = true), BenchmarkCategory("Get 4 KiB")]
    public async Task<byte[]> RawGet4KiB() => (await Raw("get/small").DownloadContentAsync()).Value.Content.ToArray();

    [Benchmark, BenchmarkCategory("Get 4 KiB")]
    public async Task<byte[]> StoreGet4KiB() => await _store.GetAsync("get/small");

    [Benchmark(Baseline = true), BenchmarkCategory("Get 8 MiB")]
    public async Task<byte[]> RawGet8MiB() => (await Raw("get/large").DownloadContentAsync()).Value.Content.ToArray();

    [Benchmark, BenchmarkCategory("Get 8 MiB")]
    public async Task<byte[]> StoreGet8MiB() => await _store.GetAsync("get/large");

    [Benchmark(Baseline = true), BenchmarkCategory("List 10k")]
    public async Task<int> RawList10k()
    {
        int count = 0;
        await foreach (var _ in _container.GetBlobsAsync(new GetBlobsOptions { Prefix = $"{Prefix}/list/" })) count++;
        return count;
    }

    [Benchmark, BenchmarkCategory("List 10k")]
    public async Task<int> StoreList10k()
    {
        int count = 0;
        await foreach (var _ in _store.ListAsync("list/")) count++;
        return count;
    }
}

/// <summary>
/// RedisStore against raw StackExchange.Redis calls on the same server (OBJSTORE_REDIS, host:port)
/// and connection. The listing baseline is a plain SCAN of the keys under the prefix, unsorted and
/// without sizes: what the Python original does; the store's listing also sorts and asks for sizes.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class RedisBenchmarks
{
    private const string Prefix = "bench-redis:";
    private const int ListedKeys = 10_000;
    private readonly byte[] _small = new byte[4 << 10];
    private readonly byte[] _large = new byte[8 << 20];
    private ConnectionMultiplexer _connection = null!;
    private IDatabase _db = null!;
    private RedisStore _store = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        var endpoint = Environment.GetEnvironmentVariable("OBJSTORE_REDIS")
            ?? throw new InvalidOperationException("OBJSTORE_REDIS names no Redis (host:port; start redis-server as .ci/run does)");
        new Random(1).NextBytes(_small);
        new Random(2).NextBytes(_large);
        _connection = await ConnectionMultiplexer.ConnectAsync(endpoint);
        _db = _connection.GetDatabase();
        _store = new RedisStore(_connection, new RedisStoreOptions { Prefix = Prefix });
        await _store.PutAsync("get/small", _small);
        await _store.PutAsync("get/large", _large);
        await _store.PutManyAsync(Enumerable.Range(0, ListedKeys).Select(i => KeyValuePair.Create($"list/{i:D6}", (ReadOnlyMemory<byte>)new byte[] { 1 })));
    }

    [GlobalCleanup]
    public void Cleanup() => _connection.Dispose();

    [Benchmark(Baseline = true), BenchmarkCategory("Put 4 KiB")]
    public Task<bool> RawPut4KiB() => _db.StringSetAsync(Prefix + "put/small", _small);

    [Benchmark, BenchmarkCategory("Put 4 KiB")]
    public async Task StorePut4KiB() => await _store.PutAsync("put/small", _small);

    [Benchmark(Baseline = true), BenchmarkCategory("Put 8 MiB")]
    public Task<bool> RawPut8MiB() => _db.StringSetAsync(Prefix + "put/large", _large);

    [Benchmark, BenchmarkCategory("Put 8 MiB")]
    public async Task StorePut8MiB() => await _store.PutAsync("put/large", _large);

    [Benchmark(Baseline = true), BenchmarkCategory("Get 4 KiB")]
    public async Task<byte[]?> RawGet4KiB() => (byte[]?)await _db.StringGetAsync(Prefix + "get/small");

    [Benchmark, BenchmarkCategory("Get 4 KiB")]
    public async Task<byte[]> StoreGet4KiB() => await _store.GetAsync("get/small");

    [Benchmark(Baseline = true), BenchmarkCategory("Get 8 MiB")]
    public async Task<byte[]?> RawGet8MiB() => (byte[]?)await _db.StringGetAsync(Prefix + "get/large");

    [Benchmark, BenchmarkCategory("Get 8 MiB")]
    public async Task<byte[]> StoreGet8MiB() => await _store.GetAsync("get/large");

    [Benchmark(Baseline = true), BenchmarkCategory("List 10k")]
    public async Task<int> RawScan10k()
    {
        int count = 0;
        var server = _connection.GetServer(_connection.GetEndPoints()[0]);
        await foreach (var _ in server.KeysAsync(pattern: Prefix + "list/*", pageSize: 1000)) count++;
        return count;
    }

    [Benchmark, BenchmarkCategory("List 10k")]
    public async Task<int> StoreKeys10k()
    {
        int count = 0;
        await foreach (var _ in _store.KeysAsync("list/")) count++;
        return count;
    }

    [Benchmark, BenchmarkCategory("List 10k")]
    public async Task<int> StoreList10k()
    {
        int count = 0;
        await foreach (var _ in _store.ListAsync("list/")) count++;
        return count;
    }
}
