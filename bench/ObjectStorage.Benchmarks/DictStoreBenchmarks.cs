using System.Collections.Concurrent;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace ObjectStorage.Benchmarks;

/// <summary>
/// DictStore get and put against a plain ConcurrentDictionary&lt;string, byte[]&gt; that copies
/// in and out as DictStore does. Aim: get within 1.05x, put within 1.10x.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[SimpleJob(launchCount: 1, warmupCount: 5, iterationCount: 15)]
public class DictStoreBenchmarks
{
    private readonly ConcurrentDictionary<string, byte[]> _raw = new(StringComparer.Ordinal);
    private DictStore _store = null!;
    private byte[] _data = [];

    [Params(4 * 1024, 1024 * 1024)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _data = new byte[Size];
        new Random(1).NextBytes(_data);
        _store = new DictStore();
        _store.Put("object", _data);
        _raw["object"] = _data.ToArray();
    }

    [GlobalCleanup]
    public void Cleanup() => _store.Dispose();

    [Benchmark(Baseline = true), BenchmarkCategory("Get")]
    public byte[] RawGet() => _raw.TryGetValue("object", out var data) ? data.AsSpan().ToArray() : throw new KeyNotFoundException();

    [Benchmark, BenchmarkCategory("Get")]
    public byte[] StoreGet() => _store.Get("object");

    [Benchmark(Baseline = true), BenchmarkCategory("Put")]
    public void RawPut() => _raw["object"] = _data.AsSpan().ToArray();

    [Benchmark, BenchmarkCategory("Put")]
    public void StorePut() => _store.Put("object", _data);
}
