using System.IO.Compression;
using System.Text;
using BenchmarkDotNet.Attributes;

namespace ObjectStorage.Benchmarks;

/// <summary>
/// ZipStore get of a 4 KiB entry against reading the same entry through ZipArchive directly,
/// both with the archive already open, on archives of 100 and 100,000 entries (a get is a
/// dictionary look-up, so the size of the archive should not show).
/// </summary>
[MemoryDiagnoser]
public class ZipBenchmarks
{
    private const int ObjectBytes = 4096;

    private string _directory = "";
    private ZipArchive _archive = null!;
    private ZipStore _store = null!;
    private ZipStore _unverified = null!;
    private string _key = "";

    [Params(100, 100_000)]
    public int Entries { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), $"zip-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_directory);
        var path = Path.Combine(_directory, "bench.zip");
        var data = new byte[ObjectBytes];
        new Random(1).NextBytes(data);
        using (var file = File.Create(path))
        using (var archive = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: false, Encoding.UTF8))
        {
            for (int i = 0; i < Entries; i++)
            {
                using var stream = archive.CreateEntry($"objects/{i:D6}", CompressionLevel.Optimal).Open();
                stream.Write(data);
            }
        }
        _key = $"objects/{Entries / 2:D6}";
        _archive = ZipFile.OpenRead(path);
        _store = new ZipStore(path, new ZipStoreOptions { Mode = ZipStoreMode.Read });
        _unverified = new ZipStore(path, new ZipStoreOptions { Mode = ZipStoreMode.Read, VerifyChecksums = false });
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.Dispose();
        _unverified.Dispose();
        _archive.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true)]
    public byte[] ZipArchive_entry_read()
    {
        var entry = _archive.GetEntry(_key)!;
        var data = new byte[entry.Length];
        using var stream = entry.Open();
        stream.ReadExactly(data);
        return data;
    }

    [Benchmark]
    public byte[] ZipStore_get() => _store.Get(_key);

    /// <summary>The same get without the CRC check, which the baseline (.NET 10's ZipArchive) does not do.</summary>
    [Benchmark]
    public byte[] ZipStore_get_without_CRC_check() => _unverified.Get(_key);
}
