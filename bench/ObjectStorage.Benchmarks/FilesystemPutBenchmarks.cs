using BenchmarkDotNet.Attributes;

namespace ObjectStorage.Benchmarks;

/// <summary>
/// FilesystemStore's atomic put of 4 KiB against an in-place write of the same bytes on the same
/// disk (File.WriteAllBytes over an existing file: open, truncate, write, close), for new keys and
/// for overwrites rotating over 1,000 keys. Aim (issue 20): within 1.10x. Each invocation makes
/// 2,000 puts; the new keys of an iteration are deleted after it, outside the measurement, so the
/// directory stays the same size. Run with TMPDIR on the disk to measure.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10, invocationCount: 1)]
public class FilesystemPutBenchmarks
{
    private const int Rotation = 1000;
    private const int Puts = 2000;
    private const int Size = 4096;

    private string _directory = "";
    private string[] _inPlaceFiles = [];
    private string[] _overwriteKeys = [];
    private string[] _newKeys = [];
    private int _iteration;
    private FilesystemStore _store = null!;
    private byte[] _data = [];

    /// <summary>Whether a new key's temporary file may be unnamed (O_TMPFILE, the default on Linux) or is always named (OBJSTORE_FS_O_TMPFILE=0, the fallback).</summary>
    [Params(true, false)]
    public bool Unnamed { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        Environment.SetEnvironmentVariable("OBJSTORE_FS_O_TMPFILE", Unnamed ? null : "0");
        _directory = Path.Combine(Path.GetTempPath(), $"objectstorage-bench-put-{Guid.NewGuid():N}");
        _data = new byte[Size];
        new Random(1).NextBytes(_data);
        // The same depth for both: <dir>/in-place/<name> and <dir>/store/o/<name>.
        Directory.CreateDirectory(Path.Combine(_directory, "in-place"));
        _inPlaceFiles = [.. Enumerable.Range(0, Rotation).Select(i => Path.Combine(_directory, "in-place", $"{i:D6}"))];
        foreach (var file in _inPlaceFiles) File.WriteAllBytes(file, _data);
        _store = new FilesystemStore(Path.Combine(_directory, "store"));
        _overwriteKeys = [.. Enumerable.Range(0, Rotation).Select(i => $"o/{i:D6}")];
        foreach (var key in _overwriteKeys) _store.Put(key, _data);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [IterationSetup(Target = nameof(Store_put_new_keys))]
    public void NewDirectory()
    {
        var prefix = $"n{++_iteration}/";
        Directory.CreateDirectory(Path.Combine(_store.Root, prefix));
        _newKeys = [.. Enumerable.Range(0, Puts).Select(i => $"{prefix}{i:D6}")];
    }

    [IterationCleanup(Target = nameof(Store_put_new_keys))]
    public void DeleteNewKeys() => Directory.Delete(Path.Combine(_store.Root, $"n{_iteration}"), recursive: true);

    [Benchmark(Baseline = true, OperationsPerInvoke = Puts)]
    public void In_place_write()
    {
        for (int i = 0; i < Puts; i++) File.WriteAllBytes(_inPlaceFiles[i % Rotation], _data);
    }

    [Benchmark(OperationsPerInvoke = Puts)]
    public void Store_put_new_keys()
    {
        foreach (var key in _newKeys) _store.Put(key, _data);
    }

    [Benchmark(OperationsPerInvoke = Puts)]
    public void Store_put_overwrite()
    {
        for (int i = 0; i < Puts; i++) _store.Put(_overwriteKeys[i % Rotation], _data);
    }
}
