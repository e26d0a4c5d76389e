using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace ObjectStorage.Benchmarks;

/// <summary>
/// FilesystemStore get and put against the raw calls it makes: File.ReadAllBytes, and an atomic
/// raw write (write a temporary file, File.Move it over the target). Aim: get within 1.05x, put
/// within 1.10x of raw.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[SimpleJob(launchCount: 1, warmupCount: 5, iterationCount: 15)]
public class FilesystemBenchmarks
{
    private string _directory = "";
    private string _rawTarget = "";
    private string _rawTemp = "";
    private FilesystemStore _store = null!;
    private byte[] _data = [];

    [Params(4 * 1024, 1024 * 1024)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), $"objectstorage-bench-{Guid.NewGuid():N}");
        // The same depth for both: <dir>/raw/object and <dir>/store/object.
        Directory.CreateDirectory(Path.Combine(_directory, "raw"));
        _rawTarget = Path.Combine(_directory, "raw", "object");
        _rawTemp = Path.Combine(_directory, "raw", "object.tmp");
        _store = new FilesystemStore(Path.Combine(_directory, "store"));
        _data = new byte[Size];
        new Random(1).NextBytes(_data);
        File.WriteAllBytes(_rawTarget, _data);
        _store.Put("object", _data);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Get")]
    public byte[] RawGet() => File.ReadAllBytes(_rawTarget);

    [Benchmark, BenchmarkCategory("Get")]
    public byte[] StoreGet() => _store.Get("object");

    [Benchmark(Baseline = true), BenchmarkCategory("Put")]
    public void RawPut()
    {
        File.WriteAllBytes(_rawTemp, _data);
        File.Move(_rawTemp, _rawTarget, overwrite: true);
    }

    [Benchmark, BenchmarkCategory("Put")]
    public void StorePut() => _store.Put("object", _data);
}

/// <summary>
/// Listing a tree of empty files (1,000 per directory) in key order, against the raw unsorted
/// recursive enumeration. Each size runs in its own process, so the peak working set printed at
/// the end ("// peak working set") shows whether memory grows with the number of files.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 3, invocationCount: 1)]
public class FilesystemListingBenchmarks
{
    private const int FilesPerDirectory = 1000;
    private string _directory = "";
    private FilesystemStore _store = null!;

    [Params(10_000, 1_000_000)]
    public int Files { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        // Every benchmark runs in its own process; they share one tree per size, made once (a
        // million files take minutes) and marked complete by a file beside it.
        _directory = Path.Combine(Path.GetTempPath(), $"objectstorage-bench-list-{Files}");
        var complete = _directory + ".complete";
        if (!File.Exists(complete))
        {
            if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
            for (int d = 0; d < Files / FilesPerDirectory; d++)
            {
                var sub = Path.Combine(_directory, $"d{d:D4}");
                Directory.CreateDirectory(sub);
                for (int f = 0; f < FilesPerDirectory; f++) File.Create(Path.Combine(sub, $"object-{f:D4}.bin")).Dispose();
            }
            File.Create(complete).Dispose();
        }
        _store = new FilesystemStore(_directory);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        using var self = Process.GetCurrentProcess();
        Console.WriteLine($"// peak working set with {Files} files: {self.PeakWorkingSet64 / (1024 * 1024)} MiB");
        _store.Dispose(); // the tree stays for the next benchmark: delete /tmp/objectstorage-bench-list-* after the run
    }

    [Benchmark(Baseline = true)]
    public int RawEnumerateUnsorted() =>
        Directory.EnumerateFiles(_directory, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }).Count();

    [Benchmark]
    public int StoreKeysInKeyOrder() => _store.Keys().Count();

    [Benchmark]
    public int StoreListInKeyOrder()
    {
        int count = 0;
        foreach (var info in _store.List()) count += info.Size >= 0 ? 1 : 0;
        return count;
    }
}
