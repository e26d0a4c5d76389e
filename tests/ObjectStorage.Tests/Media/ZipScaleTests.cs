using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Media;

/// <summary>Archives with many entries, and objects larger than memory should hold.</summary>
public sealed class ZipScaleTests : IDisposable
{
    private const int ManyEntries = 100_000;

    private readonly TempDirectory _dir = new("zip-scale");

    public void Dispose() => _dir.Dispose();

    private static string KeyOf(int i) => $"k/{i % 100:D2}/{i:D6}";

    [Fact]
    public void An_archive_of_100000_entries_opens_once_and_answers_gets_by_key()
    {
        var path = _dir.File("many.zip");
        using (var file = File.Create(path))
        using (var archive = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: false, Encoding.UTF8))
        {
            for (int i = 0; i < ManyEntries; i++)
            {
                using var stream = archive.CreateEntry(KeyOf(i), CompressionLevel.NoCompression).Open();
                stream.Write(Encoding.UTF8.GetBytes(KeyOf(i)));
            }
        }
        using var store = new ZipStore(path, new ZipStoreOptions { Mode = ZipStoreMode.Read });
        Assert.Equal(ManyEntries, store.Count);
        for (int i = 0; i < ManyEntries; i += 997)
            Assert.Equal(KeyOf(i), Encoding.UTF8.GetString(store.Get(KeyOf(i))));
        Assert.Equal(KeyOf(ManyEntries - 1), Encoding.UTF8.GetString(store.Get(KeyOf(ManyEntries - 1))));
        Assert.False(store.Exists("k/00/100000"));
        Assert.Null(store.Stat("k/99/missing"));
        var slice = store.Keys("k/42/").ToList();
        Assert.Equal(ManyEntries / 100, slice.Count);
        Assert.Equal(slice.Order(KeyComparer.Utf8), slice);
    }

    /// <summary>
    /// Puts, flushes and reads back one object through non-seekable streams and checks that the
    /// thread allocated a small fraction of it. 256 MiB by default; set ZIPSTORE_LARGE_OBJECT_MIB
    /// to measure another size (1024 was measured once, see docs/stores/zip.md).
    /// </summary>
    [Fact]
    public void A_large_object_streams_in_and_out_without_being_held_in_memory()
    {
        long mib = long.TryParse(Environment.GetEnvironmentVariable("ZIPSTORE_LARGE_OBJECT_MIB"), out var set) ? set : 256;
        long size = mib << 20;
        var path = _dir.File("large.zip");
        long before = GC.GetAllocatedBytesForCurrentThread();
        using (var store = new ZipStore(path, new ZipStoreOptions { Mode = ZipStoreMode.Create, CompressionLevel = CompressionLevel.Fastest }))
        {
            store.Put("big", new PatternStream(size));
            store.Put("small", [1, 2, 3]);
            using (var pending = store.OpenRead("big")) Assert.Null(PatternStream.Compare(pending, size));
            store.Flush();
            using (var flushed = store.OpenRead("big")) Assert.Null(PatternStream.Compare(flushed, size));
            Assert.Equal(size, store.Stat("big")!.Size);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        using var process = Process.GetCurrentProcess();
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{mib} MiB object: {allocated / 1024} KiB allocated by the test thread; process peak working set {process.PeakWorkingSet64 >> 20} MiB");
        Assert.True(allocated < 16L << 20, $"put, flush and two reads of {mib} MiB allocated {allocated >> 20} MiB");
        using var reopened = new ZipStore(path, new ZipStoreOptions { Mode = ZipStoreMode.Read });
        using var stream = reopened.OpenRead("big");
        Assert.Null(PatternStream.Compare(stream, size));
    }
}
