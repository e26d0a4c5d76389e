using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using FluentStorage;
using FluentStorage.Storage;

namespace ObjectStorage.Benchmarks;

/// <summary>
/// FilesystemStore against FluentStorage 8.0.24's disk store (<c>StorageFactory.Disk</c>), the
/// established .NET storage abstraction, on the same disk: put, get and exists of 4 KiB objects and
/// a listing of 1,000 keys. FluentStorage is the baseline of each category; the raw File API is
/// there too, as the floor both stand on. FluentStorage has only async members, so it is awaited;
/// FilesystemStore is called on its natural (sync) side, and once through its async side.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory), CategoriesColumn]
public class PeerBenchmarks
{
    private const int Size = 4096;
    private const int KeySpace = 1000;

    private readonly byte[] _data = new byte[Size];
    private readonly string[] _keys = Enumerable.Range(0, KeySpace).Select(i => $"k{i:D4}").ToArray();
    private string _dir = "";
    private string _ours = "", _theirs = "", _raw = "", _listOurs = "", _listTheirs = "";
    private FilesystemStore _store = null!, _listStore = null!;
    private IStore _fluent = null!, _listFluent = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        new Random(1).NextBytes(_data);
        _dir = Directory.CreateTempSubdirectory("peer-bench").FullName;
        _ours = Path.Combine(_dir, "ours");
        _theirs = Path.Combine(_dir, "theirs");
        _raw = Path.Combine(_dir, "raw");
        _listOurs = Path.Combine(_dir, "list-ours");
        _listTheirs = Path.Combine(_dir, "list-theirs");
        Directory.CreateDirectory(_raw);
        _store = new FilesystemStore(_ours);
        _fluent = StorageFactory.Disk(_theirs);
        _listStore = new FilesystemStore(_listOurs);
        _listFluent = StorageFactory.Disk(_listTheirs);
        foreach (var key in _keys)
        {
            _store.Put(key, _data);
            _fluent.SetBytes(key, _data).GetAwaiter().GetResult();
            File.WriteAllBytes(Path.Combine(_raw, key), _data);
            _listStore.Put(key, _data);
            _listFluent.SetBytes(key, _data).GetAwaiter().GetResult();
        }
        // Both sides really find and read the objects (a peer that looked in the wrong place would look fast).
        if (!_fluent.ObjectExists(_keys[0]).GetAwaiter().GetResult() || _fluent.GetBytes(_keys[1]).GetAwaiter().GetResult().Length != Size
            || _listFluent.ListObjects(new StorageListOptions { Recurse = true }).GetAwaiter().GetResult().Count != KeySpace
            || !_store.Exists(_keys[0]) || _store.Get(_keys[1]).Length != Size || _listStore.Keys().Count() != KeySpace)
            throw new InvalidOperationException("the peer benchmark's stores do not hold what was written");
        var first = _listFluent.ListObjects(new StorageListOptions { Recurse = true }).GetAwaiter().GetResult().First();
        Console.WriteLine($"// FluentStorage lists {first.FullPath}: size {first.Size}, modified {first.DateModified}");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.Dispose();
        _listStore.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private string NextKey() => _keys[_next++ % KeySpace];

    // ---- Put 4 KiB ----

    [Benchmark(Baseline = true), BenchmarkCategory("Put 4 KiB")]
    public Task FluentStorage_put() => _fluent.SetBytes(NextKey(), _data);

    [Benchmark, BenchmarkCategory("Put 4 KiB")]
    public void Store_put() => _store.Put(NextKey(), _data);

    [Benchmark, BenchmarkCategory("Put 4 KiB")]
    public ValueTask Store_put_async() => _store.PutAsync(NextKey(), _data);

    [Benchmark, BenchmarkCategory("Put 4 KiB")]
    public void Raw_File_WriteAllBytes_in_place() => File.WriteAllBytes(Path.Combine(_raw, NextKey()), _data);

    [Benchmark, BenchmarkCategory("Put 4 KiB")]
    public void Raw_temp_file_and_rename()
    {
        var path = Path.Combine(_raw, NextKey());
        var temp = path + ".tmp";
        File.WriteAllBytes(temp, _data);
        File.Move(temp, path, overwrite: true);
    }

    // ---- Get 4 KiB ----

    [Benchmark(Baseline = true), BenchmarkCategory("Get 4 KiB")]
    public Task<byte[]> FluentStorage_get() => _fluent.GetBytes(NextKey());

    [Benchmark, BenchmarkCategory("Get 4 KiB")]
    public byte[] Store_get() => _store.Get(NextKey());

    [Benchmark, BenchmarkCategory("Get 4 KiB")]
    public ValueTask<byte[]> Store_get_async() => _store.GetAsync(NextKey());

    [Benchmark, BenchmarkCategory("Get 4 KiB")]
    public byte[] Raw_File_ReadAllBytes() => File.ReadAllBytes(Path.Combine(_raw, NextKey()));

    // ---- Exists ----

    [Benchmark(Baseline = true), BenchmarkCategory("Exists")]
    public Task<bool> FluentStorage_exists() => _fluent.ObjectExists(NextKey());

    [Benchmark, BenchmarkCategory("Exists")]
    public bool Store_exists() => _store.Exists(NextKey());

    [Benchmark, BenchmarkCategory("Exists")]
    public bool Raw_File_Exists() => File.Exists(Path.Combine(_raw, NextKey()));

    // ---- List 1,000 keys ----

    [Benchmark(Baseline = true), BenchmarkCategory("List 1,000")]
    public async Task<int> FluentStorage_list()
    {
        var found = await _listFluent.ListObjects(new StorageListOptions { Recurse = true });
        return found.Count;
    }

    [Benchmark, BenchmarkCategory("List 1,000")]
    public int Store_list()
    {
        int n = 0;
        foreach (var info in _listStore.List()) n += info.Size > 0 ? 1 : 0;
        return n;
    }

    [Benchmark, BenchmarkCategory("List 1,000")]
    public int Store_keys()
    {
        int n = 0;
        foreach (var key in _listStore.Keys()) n += key.Length > 0 ? 1 : 0;
        return n;
    }

    [Benchmark, BenchmarkCategory("List 1,000")]
    public int Raw_EnumerateFiles()
    {
        int n = 0;
        foreach (var file in new DirectoryInfo(_listOurs).EnumerateFiles("*", SearchOption.AllDirectories)) n += file.Length > 0 ? 1 : 0;
        return n;
    }
}

/// <summary>
/// Delete of a 4 KiB object, FilesystemStore against FluentStorage's disk store. Each iteration
/// deletes the 1,000 files its setup wrote, with File.WriteAllBytes for all three (the setup is not timed).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 10, invocationCount: PeerDeleteBenchmarks.Objects)]
public class PeerDeleteBenchmarks
{
    public const int Objects = 1000;

    private readonly byte[] _data = new byte[4096];
    private readonly string[] _keys = Enumerable.Range(0, Objects).Select(i => $"k{i:D4}").ToArray();
    private string _dir = "";
    private FilesystemStore _store = null!;
    private IStore _fluent = null!;
    private string _raw = "";
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _dir = Directory.CreateTempSubdirectory("peer-delete-bench").FullName;
        _store = new FilesystemStore(Path.Combine(_dir, "ours"));
        _fluent = StorageFactory.Disk(Path.Combine(_dir, "theirs"));
        _raw = Path.Combine(_dir, "raw");
        Directory.CreateDirectory(_raw);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    // The same files for all three, written the same way (a file's state, e.g. blocks not yet
    // allocated by ext4's delayed allocation, changes what deleting it costs).
    private void Fill(string directory)
    {
        Directory.CreateDirectory(directory);
        foreach (var key in _keys) File.WriteAllBytes(Path.Combine(directory, key), _data);
        _next = 0;
    }

    [IterationSetup(Target = nameof(FluentStorage_delete))]
    public void FillTheirs() => Fill(Path.Combine(_dir, "theirs"));

    [IterationSetup(Target = nameof(Store_delete))]
    public void FillOurs() => Fill(_store.Root);

    [IterationSetup(Target = nameof(Raw_File_Delete))]
    public void FillRaw() => Fill(_raw);

    [Benchmark(Baseline = true)]
    public Task FluentStorage_delete() => _fluent.DeleteObject(_keys[_next++ % Objects]);

    [Benchmark]
    public void Store_delete() => _store.Delete(_keys[_next++ % Objects]);

    [Benchmark]
    public void Raw_File_Delete() => File.Delete(Path.Combine(_raw, _keys[_next++ % Objects]));
}
