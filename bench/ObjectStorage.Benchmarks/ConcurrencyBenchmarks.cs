using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace ObjectStorage.Benchmarks;

/// <summary>
/// Put and get of 4 KiB objects from 1, 2, 4 and 8 tasks at once, on each disk store, against the
/// raw File API from as many tasks (File.WriteAllBytes in place, File.ReadAllBytes). Every invocation
/// does 256 operations split evenly over the tasks (keys rotate over 1,024), so Mean is the time per
/// operation: it falls as tasks are added while the store scales. The machine has 2 cores. ZipStore's
/// puts go to its spool (one lock); the archive is written (Flush) every 64 invocations, inside the timing.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 6)]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams), CategoriesColumn]
public class ConcurrencyBenchmarks
{
    private const int Operations = 256;
    private const int KeySpace = 1024;

    private readonly byte[] _data = new byte[4096];
    private readonly string[] _keys = Enumerable.Range(0, KeySpace).Select(i => $"c/{i:D4}").ToArray();
    private string _dir = "";
    private ObjectStore _store = null!;
    private int _round;

    [Params(1, 2, 4, 8)]
    public int Tasks { get; set; }

    private void Open(string name)
    {
        new Random(3).NextBytes(_data);
        _dir = Directory.CreateTempSubdirectory("concurrency-bench").FullName;
        _store = name switch
        {
            "filesystem" => new FilesystemStore(Path.Combine(_dir, "fs")),
            "hashdir" => new HashdirStore(Path.Combine(_dir, "hashdir")),
            "sqlite" => new SqliteStore(Path.Combine(_dir, "store.db")),
            "zip" => new ZipStore(Path.Combine(_dir, "store.zip")),
            _ => new FilesystemStore(Path.Combine(_dir, "raw")),
        };
        foreach (var key in _keys) _store.Put(key, _data);
        if (_store is ZipStore zip) zip.Flush();
    }

    [GlobalSetup(Targets = [nameof(Raw_put), nameof(Raw_get)])] public void SetupRaw() => Open("raw");
    [GlobalSetup(Targets = [nameof(FilesystemStore_put), nameof(FilesystemStore_get)])] public void SetupFilesystem() => Open("filesystem");
    [GlobalSetup(Targets = [nameof(HashdirStore_put), nameof(HashdirStore_get)])] public void SetupHashdir() => Open("hashdir");
    [GlobalSetup(Targets = [nameof(SqliteStore_put), nameof(SqliteStore_get)])] public void SetupSqlite() => Open("sqlite");
    [GlobalSetup(Targets = [nameof(ZipStore_put), nameof(ZipStore_get)])] public void SetupZip() => Open("zip");

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    // Operations / Tasks operations on each of Tasks tasks, each task on its own keys.
    private void Parallel(Action<string> operation)
    {
        int round = _round++;
        int each = Operations / Tasks;
        var tasks = new Task[Tasks];
        for (int t = 0; t < Tasks; t++)
        {
            int first = (round * Operations + t * each) % KeySpace;
            tasks[t] = Task.Run(() =>
            {
                for (int i = 0; i < each; i++) operation(_keys[(first + i) % KeySpace]);
            });
        }
        Task.WaitAll(tasks);
    }

    private string RawPath(string key) => Path.Combine(_dir, "raw", key);

    [Benchmark(Baseline = true, OperationsPerInvoke = Operations), BenchmarkCategory("Put 4 KiB")]
    public void Raw_put() => Parallel(key => File.WriteAllBytes(RawPath(key), _data));

    [Benchmark(OperationsPerInvoke = Operations), BenchmarkCategory("Put 4 KiB")]
    public void FilesystemStore_put() => Parallel(key => _store.Put(key, _data));

    [Benchmark(OperationsPerInvoke = Operations), BenchmarkCategory("Put 4 KiB")]
    public void HashdirStore_put() => Parallel(key => _store.Put(key, _data));

    [Benchmark(OperationsPerInvoke = Operations), BenchmarkCategory("Put 4 KiB")]
    public void SqliteStore_put() => Parallel(key => _store.Put(key, _data));

    [Benchmark(OperationsPerInvoke = Operations), BenchmarkCategory("Put 4 KiB")]
    public void ZipStore_put()
    {
        Parallel(key => _store.Put(key, _data));
        // Writes the archive every 16,384 puts (64 invocations), so that the spool does not grow over the run.
        if (_round % 64 == 0) ((ZipStore)_store).Flush();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Operations), BenchmarkCategory("Get 4 KiB")]
    public void Raw_get() => Parallel(key => File.ReadAllBytes(RawPath(key)));

    [Benchmark(OperationsPerInvoke = Operations), BenchmarkCategory("Get 4 KiB")]
    public void FilesystemStore_get() => Parallel(key => _store.Get(key));

    [Benchmark(OperationsPerInvoke = Operations), BenchmarkCategory("Get 4 KiB")]
    public void HashdirStore_get() => Parallel(key => _store.Get(key));

    [Benchmark(OperationsPerInvoke = Operations), BenchmarkCategory("Get 4 KiB")]
    public void SqliteStore_get() => Parallel(key => _store.Get(key));

    [Benchmark(OperationsPerInvoke = Operations), BenchmarkCategory("Get 4 KiB")]
    public void ZipStore_get() => Parallel(key => _store.Get(key));
}
