using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace ObjectStorage.Benchmarks;

/// <summary>
/// Issue 20: SqliteStore on files made with 16 and 64 KiB pages (<see cref="SqliteStoreOptions.PageSize"/>) against
/// SQLite's default 4 KiB pages, the baseline of each category. With 4 KiB pages an object of 4 KiB does not fit beside
/// its key and takes an overflow page; with larger pages it stays in its row. Each operation is measured on each size,
/// small and large objects, single puts and batches, durable and not, reads and listings, so that the default is chosen
/// on all of them. Run it with <c>TMPDIR</c> on the disk to measure (docs/benchmarks.md).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 15)]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory), CategoriesColumn]
public class SqlitePageSizeBenchmarks
{
    private const int KeySpace = 1000;
    private static readonly int[] s_pageSizes = [4096, 16384, 65536];

    private readonly byte[] _small = new byte[100], _page = new byte[4096], _large = new byte[1 << 20];
    private readonly string[] _keys = [.. Enumerable.Range(0, KeySpace).Select(static i => $"bench/{i:D4}")];
    private string _dir = "";
    // By page size: the default store (WAL, NORMAL) and a durable one (WAL, FULL), each filled with KeySpace objects of 4 KiB.
    private SqliteStore[] _normal = [], _durable = [];
    private KeyValuePair<string, ReadOnlyMemory<byte>>[] _batch = [];
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        random.NextBytes(_small);
        random.NextBytes(_page);
        random.NextBytes(_large);
        _dir = Directory.CreateTempSubdirectory("sqlite-pagesize-bench").FullName;
        _normal = [.. s_pageSizes.Select(size => Open($"normal-{size}.db", size, durable: false))];
        _durable = [.. s_pageSizes.Select(size => Open($"durable-{size}.db", size, durable: true))];
        _batch = [.. _keys.Select(k => new KeyValuePair<string, ReadOnlyMemory<byte>>(k, _page))];
        foreach (var store in _normal.Concat(_durable))
        {
            store.PutMany(_batch);
            store.Put("small", _small);
            store.Put("large", _large);
        }
    }

    private SqliteStore Open(string name, int pageSize, bool durable) =>
        new(Path.Combine(_dir, name), new SqliteStoreOptions { PageSize = pageSize, DurableCommits = durable });

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var store in _normal.Concat(_durable)) store.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private string NextKey() => _keys[_next++ % KeySpace];

    private void Put(SqliteStore store) => store.Put(NextKey(), _page);
    private byte[] Get(SqliteStore store) => store.Get(NextKey());
    private int List(SqliteStore store) => store.List("bench/").Count();

    [Benchmark(Baseline = true), BenchmarkCategory("Put 4 KiB")] public void Put_4k_pages() => Put(_normal[0]);
    [Benchmark, BenchmarkCategory("Put 4 KiB")] public void Put_16k_pages() => Put(_normal[1]);
    [Benchmark, BenchmarkCategory("Put 4 KiB")] public void Put_64k_pages() => Put(_normal[2]);

    [Benchmark(Baseline = true), BenchmarkCategory("Put 4 KiB, durable")] public void Durable_put_4k_pages() => Put(_durable[0]);
    [Benchmark, BenchmarkCategory("Put 4 KiB, durable")] public void Durable_put_16k_pages() => Put(_durable[1]);
    [Benchmark, BenchmarkCategory("Put 4 KiB, durable")] public void Durable_put_64k_pages() => Put(_durable[2]);

    [Benchmark(Baseline = true, OperationsPerInvoke = KeySpace), BenchmarkCategory("PutMany 1,000 x 4 KiB, durable, per object")]
    public void Durable_batch_4k_pages() => _durable[0].PutMany(_batch);
    [Benchmark(OperationsPerInvoke = KeySpace), BenchmarkCategory("PutMany 1,000 x 4 KiB, durable, per object")]
    public void Durable_batch_16k_pages() => _durable[1].PutMany(_batch);
    [Benchmark(OperationsPerInvoke = KeySpace), BenchmarkCategory("PutMany 1,000 x 4 KiB, durable, per object")]
    public void Durable_batch_64k_pages() => _durable[2].PutMany(_batch);

    [Benchmark(Baseline = true, OperationsPerInvoke = KeySpace), BenchmarkCategory("PutMany 1,000 x 4 KiB, per object")]
    public void Batch_4k_pages() => _normal[0].PutMany(_batch);
    [Benchmark(OperationsPerInvoke = KeySpace), BenchmarkCategory("PutMany 1,000 x 4 KiB, per object")]
    public void Batch_16k_pages() => _normal[1].PutMany(_batch);
    [Benchmark(OperationsPerInvoke = KeySpace), BenchmarkCategory("PutMany 1,000 x 4 KiB, per object")]
    public void Batch_64k_pages() => _normal[2].PutMany(_batch);

    [Benchmark(Baseline = true), BenchmarkCategory("Get 4 KiB")] public byte[] Get_4k_pages() => Get(_normal[0]);
    [Benchmark, BenchmarkCategory("Get 4 KiB")] public byte[] Get_16k_pages() => Get(_normal[1]);
    [Benchmark, BenchmarkCategory("Get 4 KiB")] public byte[] Get_64k_pages() => Get(_normal[2]);

    [Benchmark(Baseline = true), BenchmarkCategory("Put 100 B")] public void Put_small_4k_pages() => _normal[0].Put("small", _small);
    [Benchmark, BenchmarkCategory("Put 100 B")] public void Put_small_16k_pages() => _normal[1].Put("small", _small);
    [Benchmark, BenchmarkCategory("Put 100 B")] public void Put_small_64k_pages() => _normal[2].Put("small", _small);

    [Benchmark(Baseline = true), BenchmarkCategory("Get 100 B")] public byte[] Get_small_4k_pages() => _normal[0].Get("small");
    [Benchmark, BenchmarkCategory("Get 100 B")] public byte[] Get_small_16k_pages() => _normal[1].Get("small");
    [Benchmark, BenchmarkCategory("Get 100 B")] public byte[] Get_small_64k_pages() => _normal[2].Get("small");

    [Benchmark(Baseline = true), BenchmarkCategory("Put 1 MiB")] public void Put_large_4k_pages() => _normal[0].Put("large", _large);
    [Benchmark, BenchmarkCategory("Put 1 MiB")] public void Put_large_16k_pages() => _normal[1].Put("large", _large);
    [Benchmark, BenchmarkCategory("Put 1 MiB")] public void Put_large_64k_pages() => _normal[2].Put("large", _large);

    [Benchmark(Baseline = true), BenchmarkCategory("Get 1 MiB")] public byte[] Get_large_4k_pages() => _normal[0].Get("large");
    [Benchmark, BenchmarkCategory("Get 1 MiB")] public byte[] Get_large_16k_pages() => _normal[1].Get("large");
    [Benchmark, BenchmarkCategory("Get 1 MiB")] public byte[] Get_large_64k_pages() => _normal[2].Get("large");

    [Benchmark(Baseline = true), BenchmarkCategory("List 1,000 with sizes and tags")] public int List_4k_pages() => List(_normal[0]);
    [Benchmark, BenchmarkCategory("List 1,000 with sizes and tags")] public int List_16k_pages() => List(_normal[1]);
    [Benchmark, BenchmarkCategory("List 1,000 with sizes and tags")] public int List_64k_pages() => List(_normal[2]);
}
