using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace ObjectStorage.Benchmarks;

/// <summary>
/// Issue 20: HashdirStore puts of 4 KiB, with the key recorded in an extended attribute of the object file
/// and in a record file beside it, against what the Python original's put does (mkdir -p of the hash
/// directories, then open, write and close the object file in place, no record), in the same process.
/// Each iteration puts the 1,000 keys once: "new" starts each iteration with none of them (deleted by
/// each side's own delete, outside the measurement; the directories stay), "overwrite" with all of them.
/// Run it with <c>TMPDIR</c> on a fresh journalled ext4 image (docs/benchmarks.md, "HashdirStore key records").
/// </summary>
// Each iteration is short (1,000 puts), so many of them: their median holds on a loaded machine.
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 25)]
[InvocationCount(KeySpace, unrollFactor: 1)]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory), CategoriesColumn]
public class HashdirPutBenchmarks
{
    private const int KeySpace = 1000;

    private readonly byte[] _data = new byte[4096];
    private readonly string[] _keys = [.. Enumerable.Range(0, KeySpace).Select(static i => $"bench/{i:D4}")];
    private HashdirBenchStores _stores = null!;
    private string _original = "";
    private HashdirStore _attribute = null!, _recordFile = null!;
    private int _next;

    /// <summary>Whether each iteration's keys are absent (new files) or present (overwrites).</summary>
    [Params("new", "overwrite")]
    public string Keys { get; set; } = "new";

    [GlobalSetup]
    public void Setup()
    {
        new Random(1).NextBytes(_data);
        _stores = new HashdirBenchStores("hashdir-put-bench");
        (_attribute, _recordFile) = (_stores.Attribute, _stores.RecordFile);
        _original = Path.Combine(_stores.Directory, "original");
    }

    [GlobalCleanup]
    public void Cleanup() => _stores.Dispose();

    [IterationSetup(Target = nameof(Original))]
    public void PrepareOriginal() => Prepare(OriginalPut, OriginalDelete);

    [IterationSetup(Target = nameof(ExtendedAttribute))]
    public void PrepareAttribute() => Prepare(key => _attribute.Put(key, _data), _attribute.Delete);

    [IterationSetup(Target = nameof(RecordFile))]
    public void PrepareRecordFile() => Prepare(key => _recordFile.Put(key, _data), _recordFile.Delete);

    [Benchmark(Baseline = true)]
    public void Original() => OriginalPut(_keys[_next++]);

    [Benchmark]
    public void ExtendedAttribute() => _attribute.Put(_keys[_next++], _data);

    [Benchmark]
    public void RecordFile() => _recordFile.Put(_keys[_next++], _data);

    private void Prepare(Action<string> put, Action<string> delete)
    {
        _next = 0;
        foreach (var key in _keys)
        {
            if (Keys == "overwrite") put(key);
            else delete(key);
        }
    }

    // The original's put: its path from the key's SHA-256 (2/2/2/58), os.makedirs(exist_ok=True), open('wb'), write, close.
    private void OriginalPut(string key)
    {
        var path = OriginalPath(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var file = File.OpenHandle(path, FileMode.Create, FileAccess.Write);
        RandomAccess.Write(file, _data, 0);
    }

    // os.remove where the file is; File.Delete throws when its directory is missing (before the first put).
    private void OriginalDelete(string key)
    {
        var path = OriginalPath(key);
        if (File.Exists(path)) File.Delete(path);
    }

    private string OriginalPath(string key)
    {
        var hex = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        return Path.Join(_original, hex[..2], hex[2..4], hex[4..6], hex[6..]);
    }
}

/// <summary>
/// Issue 20: listing 10,000 HashdirStore objects whose keys are in record files (as every version before
/// wrote them: one more file per object, opened and read by the listing) against the same keys in
/// extended attributes (one getxattr per object), warm, in key order.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 9)]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory), CategoriesColumn]
public class HashdirListingBenchmarks
{
    private const int Objects = 10_000;

    private HashdirBenchStores _stores = null!;
    private HashdirStore _attribute = null!, _recordFile = null!;

    [GlobalSetup]
    public void Setup()
    {
        _stores = new HashdirBenchStores("hashdir-list-bench");
        (_attribute, _recordFile) = (_stores.Attribute, _stores.RecordFile);
        var data = new byte[100];
        for (int i = 0; i < Objects; i++)
        {
            _attribute.Put($"list/{i:D5}", data);
            _recordFile.Put($"list/{i:D5}", data);
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _stores.Dispose();

    [Benchmark(Baseline = true), BenchmarkCategory("Keys")]
    public int KeysFromRecordFiles() => _recordFile.Keys().Count();

    [Benchmark, BenchmarkCategory("Keys")]
    public int KeysFromAttributes() => _attribute.Keys().Count();

    [Benchmark(Baseline = true), BenchmarkCategory("List")]
    public int ListFromRecordFiles() => _recordFile.List().Count();

    [Benchmark, BenchmarkCategory("List")]
    public int ListFromAttributes() => _attribute.List().Count();
}

/// <summary>A fresh directory with a HashdirStore of each kind of key record in it; dispose deletes it and prints the load.</summary>
internal sealed class HashdirBenchStores : IDisposable
{
    public HashdirBenchStores(string tag)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory(tag).FullName;
        Attribute = new HashdirStore(Path.Combine(Directory, "xattr"), keyRecords: HashdirKeyRecords.ExtendedAttribute);
        RecordFile = new HashdirStore(Path.Combine(Directory, "file"), keyRecords: HashdirKeyRecords.File);
    }

    public string Directory { get; }

    public HashdirStore Attribute { get; }

    public HashdirStore RecordFile { get; }

    public void Dispose()
    {
        Attribute.Dispose();
        RecordFile.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
        Console.WriteLine($"// load average: {BenchData.LoadAverage()}");
    }
}
