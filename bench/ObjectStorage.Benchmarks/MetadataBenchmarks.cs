using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace ObjectStorage.Benchmarks;

/// <summary>
/// What metadata costs a put (issue 16): each medium's put of 4 KiB without metadata (the baseline,
/// the same path main's code took) against the same put carrying what the medium keeps: a file
/// time on the filesystem (set on the temp file instead of the unique stamp), and time, content
/// type and user metadata in SQLite's side table (one UPDATE in the put's transaction).
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
// Run in process with a short job (the machine is shared): --filter '*MetadataBenchmarks*' --job short --inProcess
public class MetadataBenchmarks
{
    private static readonly PutOptions TimeOnly = new() { LastModified = new DateTimeOffset(2020, 1, 2, 3, 4, 5, TimeSpan.Zero) };

    private static readonly PutOptions Everything = TimeOnly with
    {
        ContentType = "text/plain; charset=utf-8",
        Metadata = new UserMetadata(new Dictionary<string, string> { ["owner"] = "bench", ["build"] = "42" }),
    };

    private string _directory = "";
    private FilesystemStore _files = null!;
    private SqliteStore _sqlite = null!;
    private readonly byte[] _data = new byte[4096];

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), $"objectstorage-metabench-{Guid.NewGuid():N}");
        _files = new FilesystemStore(Path.Combine(_directory, "files"));
        _sqlite = new SqliteStore(Path.Combine(_directory, "meta.db"));
        new Random(1).NextBytes(_data);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _files.Dispose();
        _sqlite.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Filesystem put 4 KiB")]
    public void FilesPut() => _files.Put("object", _data);

    [Benchmark, BenchmarkCategory("Filesystem put 4 KiB")]
    public void FilesPutWithTime() => _files.Put("object", _data, TimeOnly);

    [Benchmark(Baseline = true), BenchmarkCategory("SQLite put 4 KiB")]
    public void SqlitePut() => _sqlite.Put("object", _data);

    [Benchmark, BenchmarkCategory("SQLite put 4 KiB")]
    public void SqlitePutWithMetadata() => _sqlite.Put("object", _data, Everything);

    [Benchmark(Baseline = true), BenchmarkCategory("SQLite stat")]
    public ObjectInfo? SqliteStatPlain() => _sqlite.Stat("plain");

    [Benchmark, BenchmarkCategory("SQLite stat")]
    public ObjectInfo? SqliteStatDescribed() => _sqlite.Stat("described");

    [GlobalSetup(Targets = [nameof(SqliteStatPlain), nameof(SqliteStatDescribed)])]
    public void SetupStat()
    {
        Setup();
        _sqlite.Put("plain", _data);
        _sqlite.Put("described", _data, Everything);
    }
}
