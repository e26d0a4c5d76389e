using System.Globalization;
using System.IO.Compression;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;

namespace ObjectStorage.Benchmarks;

/// <summary>
/// The listing data sets: 10k, 100k and 1M keys in each of the four stores, created once under
/// <see cref="BenchData.Root"/> and reused by later runs (a ".done" marker records a complete set).
/// Keys are "d0000/f000" .. "d0999/f999": folders of 1,000 keys, as a tree of files usually is; each
/// object is 16 bytes. The filesystem tree is written with File.WriteAllBytes (FilesystemStore reads
/// any tree), the others through their stores (HashdirStore needs its key records; SQLite in
/// batches of 10,000), and the zip with ZipArchive (stored, not deflated: 16-byte entries).
/// </summary>
internal static class ScalingData
{
    public static readonly int[] Counts = [10_000, 100_000, 1_000_000];

    public static string Key(int i) => string.Create(CultureInfo.InvariantCulture, $"d{i / 1000:D4}/f{i % 1000:D3}");

    public static string PathOf(string store, int count) => Path.Combine(BenchData.Root, $"list-{store}-{count}" + store switch
    {
        "sqlite" => ".db",
        "zip" => ".zip",
        _ => "",
    });

    public static ObjectStore Open(string store, int count)
    {
        Ensure(store, count);
        var path = PathOf(store, count);
        return store switch
        {
            "filesystem" => new FilesystemStore(path),
            "hashdir" => new HashdirStore(path),
            "sqlite" => new SqliteStore(path),
            "zip" => new ZipStore(path, new ZipStoreOptions { Mode = ZipStoreMode.Read }),
            _ => throw new ArgumentException($"unknown store {store}"),
        };
    }

    /// <summary>Creates every listing data set that is missing.</summary>
    public static int Prepare()
    {
        foreach (var count in Counts)
            foreach (var store in new[] { "filesystem", "sqlite", "zip", "hashdir" })
            {
                var watch = System.Diagnostics.Stopwatch.StartNew();
                Ensure(store, count);
                Console.WriteLine($"{store} {count}: ready ({watch.Elapsed.TotalSeconds:F1} s)");
            }
        return 0;
    }

    public static void Ensure(string store, int count)
    {
        var path = PathOf(store, count);
        var done = path + ".done";
        if (File.Exists(done)) return;
        Console.Error.WriteLine($"creating {count} keys for {store} at {path} (once; reused by later runs)");
        if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
        if (File.Exists(path)) File.Delete(path);
        var value = new byte[16];
        switch (store)
        {
            case "filesystem":
                for (int dir = 0; dir * 1000 < count; dir++)
                {
                    var folder = Path.Combine(path, $"d{dir:D4}");
                    Directory.CreateDirectory(folder);
                    for (int i = dir * 1000; i < Math.Min(count, dir * 1000 + 1000); i++) File.WriteAllBytes(Path.Combine(folder, $"f{i % 1000:D3}"), value);
                }
                break;
            case "hashdir":
                using (var hashdir = new HashdirStore(path))
                    Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => hashdir.Put(Key(i), value));
                break;
            case "sqlite":
                using (var sqlite = new SqliteStore(path))
                    for (int start = 0; start < count; start += 10_000)
                        sqlite.PutMany(Enumerable.Range(start, Math.Min(10_000, count - start)).Select(i => new KeyValuePair<string, ReadOnlyMemory<byte>>(Key(i), value)));
                break;
            case "zip":
                using (var file = File.Create(path))
                using (var zip = new ZipArchive(file, ZipArchiveMode.Create))
                    for (int i = 0; i < count; i++)
                    {
                        using var entry = zip.CreateEntry(Key(i), CompressionLevel.NoCompression).Open();
                        entry.Write(value);
                    }
                break;
        }
        File.WriteAllText(done, "");
    }
}

/// <summary>
/// Listing all keys (<see cref="ObjectStore.Keys"/>) of stores holding 10k, 100k and 1M keys: the time
/// per key should stay flat as the count grows. The baseline is a raw walk of the filesystem set
/// (FileSystemEnumerable of the names, unsorted: no key order, no validation). Divide Mean by Keys
/// for the time per key; the peak memory of the same listings comes from <c>list-memory</c>
/// (<see cref="ListingMemory"/>), since BenchmarkDotNet's Allocated counts every key string made,
/// which grows with the count by necessity.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class ScalingListBenchmarks
{
    private ObjectStore _store = null!;

    // OBJSTORE_BENCH_LIST_COUNTS (comma-separated) picks fewer sets, e.g. to rerun one store without its slowest.
    [ParamsSource(nameof(KeyCounts))]
    public int Keys { get; set; }

    public static IEnumerable<int> KeyCounts() =>
        Environment.GetEnvironmentVariable("OBJSTORE_BENCH_LIST_COUNTS") is { Length: > 0 } counts
            ? counts.Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture))
            : ScalingData.Counts;

    [GlobalSetup(Target = nameof(Raw_directory_walk))]
    public void SetupRaw() => ScalingData.Ensure("filesystem", Keys);

    [GlobalSetup(Target = nameof(FilesystemStore_keys))]
    public void SetupFilesystem() => _store = ScalingData.Open("filesystem", Keys);

    [GlobalSetup(Target = nameof(HashdirStore_keys))]
    public void SetupHashdir() => _store = ScalingData.Open("hashdir", Keys);

    [GlobalSetup(Target = nameof(SqliteStore_keys))]
    public void SetupSqlite() => _store = ScalingData.Open("sqlite", Keys);

    [GlobalSetup(Target = nameof(ZipStore_keys))]
    public void SetupZip() => _store = ScalingData.Open("zip", Keys);

    [GlobalCleanup]
    public void Cleanup() => _store?.Dispose();

    [Benchmark(Baseline = true)]
    public int Raw_directory_walk()
    {
        int n = 0;
        foreach (var _ in Directory.EnumerateFiles(ScalingData.PathOf("filesystem", Keys), "*", SearchOption.AllDirectories)) n++;
        return n;
    }

    [Benchmark]
    public int FilesystemStore_keys() => Count();

    [Benchmark]
    public int HashdirStore_keys() => Count();

    [Benchmark]
    public int SqliteStore_keys() => Count();

    [Benchmark]
    public int ZipStore_keys() => Count();

    private int Count()
    {
        int n = 0;
        foreach (var _ in _store.Keys()) n++;
        if (n != Keys) throw new InvalidOperationException($"{_store} listed {n} keys, expected {Keys}");
        return n;
    }
}

/// <summary>
/// Peak managed memory while listing: for each store and count, a full collection every 1/50th of
/// the listing measures the live heap, and the table gives the largest rise over the heap with the
/// store open (and what opening the store itself keeps). Not BenchmarkDotNet: it is a bound, not a
/// time. <c>dotnet run -c Release --project bench/ObjectStorage.Benchmarks -- list-memory [--csv PATH]</c>.
/// </summary>
internal static class ListingMemory
{
    public static int Run(string[] args)
    {
        var csv = SyncBenchmarks.StringOption(args, "--csv", Path.Combine("BenchmarkDotNet.Artifacts", "results", "list-memory.csv"));
        var stores = new[] { "filesystem", "hashdir", "sqlite", "zip" };
        // --skip hashdir-1000000 (comma-separated store-count pairs) leaves out sets too slow to list cold on a given disk.
        var skip = SyncBenchmarks.StringOption(args, "--skip", "").Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
        var rows = new List<string>();
        Console.WriteLine($"# Peak live managed heap while listing (load average {BenchData.LoadAverage()})");
        Console.WriteLine("| Store | Keys | Heap kept by the open store | Peak rise while listing | Per key | One timed pass, per key |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var store in stores)
            foreach (var count in ScalingData.Counts)
            {
                if (skip.Contains($"{store}-{count}")) continue;
                ScalingData.Ensure(store, count);
                long before = GC.GetTotalMemory(forceFullCollection: true);
                using var opened = ScalingData.Open(store, count);
                long open = GC.GetTotalMemory(forceFullCollection: true);
                // One timed pass first, without the collections (a cross-check of ScalingListBenchmarks).
                var watch = System.Diagnostics.Stopwatch.StartNew();
                int timed = opened.Keys().Count();
                double nsPerKey = watch.Elapsed.TotalNanoseconds / timed;
                long peak = open;
                int every = Math.Max(1, count / 50), n = 0;
                foreach (var _ in opened.Keys())
                    if (++n % every == 0) peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true));
                if (n != count) throw new InvalidOperationException($"{opened} listed {n} keys, expected {count}");
                long kept = open - before, rise = peak - open;
                rows.Add(string.Create(CultureInfo.InvariantCulture, $"{store},{count},{kept},{rise},{nsPerKey:F1}"));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {store} | {count:N0} | {Mib(kept)} | {Mib(rise)} | {(double)rise / count:F1} B | {nsPerKey:F0} ns |"));
            }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(csv))!);
        File.WriteAllLines(csv, ["Store,Keys,OpenBytes,ListingPeakBytes,TimedNsPerKey", .. rows]);
        return 0;
    }

    private static string Mib(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:F2} MiB");
}

/// <summary>
/// A seekable stream of <c>length</c> pseudo-random bytes, made on the fly: a 1 MiB random block
/// repeated (deflate's 32 KiB window cannot see the repetition, so it does not compress), no array of
/// the stream's size anywhere.
/// </summary>
internal sealed class PatternStream(long length) : Stream
{
    private static readonly byte[] Block = MakeBlock();
    private long _position;

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => _position = value;
    }

    private static byte[] MakeBlock()
    {
        var block = new byte[1 << 20];
        new Random(7).NextBytes(block);
        return block;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int n = (int)Math.Min(buffer.Length, length - _position);
        for (int done = 0; done < n;)
        {
            int at = (int)((_position + done) % Block.Length);
            int take = Math.Min(n - done, Block.Length - at);
            Block.AsSpan(at, take).CopyTo(buffer[done..]);
            done += take;
        }
        _position += n;
        return n;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.FromResult(Read(buffer, offset, count));

    public override long Seek(long offset, SeekOrigin origin) => _position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => _position + offset,
        _ => length + offset,
    };

    public override void Flush() { }
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// <summary>
/// Put from a stream and read back through a stream, 1 KiB to 1 GiB, in each disk store, against a
/// raw FileStream copy of the same bytes (the disk's own speed through the same page cache). The
/// source is a <see cref="PatternStream"/> (pseudo-random, incompressible), so no object sits in an
/// array: Allocated shows what each path holds. SQLite caps a row at 1,000,000,000 bytes, so its
/// "1 GiB" rows put and read 999,000,000 bytes. ZipStore's put includes the Flush that writes the
/// archive (a put alone only spools).
/// </summary>
public abstract class ObjectSizeBenchmarksBase
{
    private const int SqliteMaxBytes = 999_000_000;
    private readonly Dictionary<string, ObjectStore> _stores = [];
    private string _dir = "";

    public abstract long Size { get; set; }

    protected long SqliteSize => Math.Min(Size, SqliteMaxBytes);

    // Each benchmark runs in a process of its own: its setup makes only the store it uses, and the
    // object to read only for a get (at 1 GiB every write counts).
    private void Open(string name, bool withObjectToRead)
    {
        _dir = Directory.CreateTempSubdirectory("size-bench").FullName;
        ObjectStore store = name switch
        {
            "filesystem" => new FilesystemStore(Path.Combine(_dir, "fs")),
            "hashdir" => new HashdirStore(Path.Combine(_dir, "hashdir")),
            "sqlite" => new SqliteStore(Path.Combine(_dir, "store.db")),
            "zip" => new ZipStore(Path.Combine(_dir, "store.zip")),
            _ => new DictStore(),
        };
        _stores[name] = store;
        if (!withObjectToRead) return;
        if (name == "raw")
        {
            using var raw = File.Create(Path.Combine(_dir, "raw-read"));
            new PatternStream(Size).CopyTo(raw);
            return;
        }
        store.Put("read", new PatternStream(name == "sqlite" ? SqliteSize : Size));
        if (store is ZipStore zip) zip.Flush();
    }

    [GlobalSetup(Target = nameof(Raw_FileStream_put))] public void SetupRawPut() => Open("raw", false);
    [GlobalSetup(Target = nameof(Raw_FileStream_get))] public void SetupRawGet() => Open("raw", true);
    [GlobalSetup(Target = nameof(FilesystemStore_put))] public void SetupFilesystemPut() => Open("filesystem", false);
    [GlobalSetup(Target = nameof(FilesystemStore_get))] public void SetupFilesystemGet() => Open("filesystem", true);
    [GlobalSetup(Target = nameof(HashdirStore_put))] public void SetupHashdirPut() => Open("hashdir", false);
    [GlobalSetup(Target = nameof(HashdirStore_get))] public void SetupHashdirGet() => Open("hashdir", true);
    [GlobalSetup(Target = nameof(SqliteStore_put))] public void SetupSqlitePut() => Open("sqlite", false);
    [GlobalSetup(Target = nameof(SqliteStore_get))] public void SetupSqliteGet() => Open("sqlite", true);
    [GlobalSetup(Target = nameof(ZipStore_put_and_flush))] public void SetupZipPut() => Open("zip", false);
    [GlobalSetup(Target = nameof(ZipStore_get))] public void SetupZipGet() => Open("zip", true);

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var store in _stores.Values) store.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private void PutTo(string name, long size)
    {
        var store = _stores[name];
        store.Put("write", new PatternStream(size));
        if (store is ZipStore zip) zip.Flush();
    }

    private long GetFrom(string name)
    {
        using var stream = _stores[name].OpenRead("read");
        return Drain(stream);
    }

    // Reads to the end through one 80 KiB buffer (Stream.CopyTo's), counting the bytes (not every stream has a Position).
    private static long Drain(Stream stream)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(81920);
        long total = 0;
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0) total += read;
        System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        return total;
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Put")]
    public void Raw_FileStream_put()
    {
        // What AtomicFile does minus the atomicity: a new file, the bytes, closed.
        using var file = new FileStream(Path.Combine(_dir, "raw-write"), FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
        new PatternStream(Size).CopyTo(file);
    }

    [Benchmark, BenchmarkCategory("Put")]
    public void FilesystemStore_put() => PutTo("filesystem", Size);

    [Benchmark, BenchmarkCategory("Put")]
    public void HashdirStore_put() => PutTo("hashdir", Size);

    [Benchmark, BenchmarkCategory("Put")]
    public void SqliteStore_put() => PutTo("sqlite", SqliteSize);

    [Benchmark, BenchmarkCategory("Put")]
    public void ZipStore_put_and_flush() => PutTo("zip", Size);

    [Benchmark(Baseline = true), BenchmarkCategory("Get")]
    public long Raw_FileStream_get()
    {
        using var file = new FileStream(Path.Combine(_dir, "raw-read"), FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
        return Drain(file);
    }

    [Benchmark, BenchmarkCategory("Get")]
    public long FilesystemStore_get() => GetFrom("filesystem");

    [Benchmark, BenchmarkCategory("Get")]
    public long HashdirStore_get() => GetFrom("hashdir");

    [Benchmark, BenchmarkCategory("Get")]
    public long SqliteStore_get() => GetFrom("sqlite");

    [Benchmark, BenchmarkCategory("Get")]
    public long ZipStore_get() => GetFrom("zip");
}

/// <summary>1 KiB, 64 KiB and 1 MiB objects; see <see cref="ObjectSizeBenchmarksBase"/>.</summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 5)]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams), CategoriesColumn]
public class SmallObjectSizeBenchmarks : ObjectSizeBenchmarksBase
{
    [Params(1L << 10, 64L << 10, 1L << 20)]
    public override long Size { get; set; }
}

/// <summary>64 MiB and 1 GiB objects, one operation per iteration; see <see cref="ObjectSizeBenchmarksBase"/>.</summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams), CategoriesColumn]
public class LargeObjectSizeBenchmarks : ObjectSizeBenchmarksBase
{
    [Params(64L << 20, 1L << 30)]
    public override long Size { get; set; }
}
