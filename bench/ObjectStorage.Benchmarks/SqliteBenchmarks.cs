using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using Microsoft.Data.Sqlite;

namespace ObjectStorage.Benchmarks;

/// <summary>
/// SqliteStore against the same statements run directly through Microsoft.Data.Sqlite on a file with the same
/// schema and pragmas (WAL, synchronous=NORMAL): what the store costs on top of SQLite itself.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 5, iterationCount: 20)]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory), CategoriesColumn]
public class SqliteBenchmarks
{
    private const int Size = 4096;
    private const int BatchSize = 100;
    private const int KeySpace = 1000;

    private readonly byte[] _data = new byte[Size];
    private readonly string[] _keys = Enumerable.Range(0, KeySpace).Select(i => $"bench/{i:D4}").ToArray();
    private string _dir = "";
    private SqliteStore _store = null!;
    private SqliteConnection _raw = null!;
    private SqliteCommand _rawPut = null!, _rawGet = null!;
    private KeyValuePair<string, ReadOnlyMemory<byte>>[] _batch = [];
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        new Random(1).NextBytes(_data);
        _dir = Directory.CreateTempSubdirectory("sqlite-bench").FullName;
        _store = new SqliteStore(Path.Combine(_dir, "store.db"));
        var rawPath = Path.Combine(_dir, "raw.db");
        new SqliteStore(rawPath).Dispose(); // the same schema: table, side table, triggers
        _raw = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = rawPath, Pooling = false }.ToString());
        _raw.Open();
        foreach (var pragma in new[] { "PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL", "PRAGMA busy_timeout = 30000" })
        {
            using var command = _raw.CreateCommand();
            command.CommandText = pragma;
            command.ExecuteNonQuery();
        }
        _rawPut = _raw.CreateCommand();
        _rawPut.CommandText = "INSERT OR REPLACE INTO objects(key, data) VALUES(@key, @data)";
        _rawPut.Parameters.Add(new SqliteParameter("@key", null));
        _rawPut.Parameters.Add(new SqliteParameter("@data", null));
        _rawPut.Prepare();
        _rawGet = _raw.CreateCommand();
        _rawGet.CommandText = "SELECT data FROM objects WHERE key = @key";
        _rawGet.Parameters.Add(new SqliteParameter("@key", null));
        _rawGet.Prepare();
        _batch = _keys.Take(BatchSize).Select(k => new KeyValuePair<string, ReadOnlyMemory<byte>>(k, _data)).ToArray();
        foreach (var key in _keys)
        {
            _store.Put(key, _data);
            RawPut(key);
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _rawPut.Dispose();
        _rawGet.Dispose();
        _raw.Dispose();
        _store.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private string NextKey() => _keys[_next++ % KeySpace];

    private void RawPut(string key)
    {
        _rawPut.Parameters["@key"].Value = key;
        _rawPut.Parameters["@data"].Value = _data;
        _rawPut.ExecuteNonQuery();
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Put 4 KiB")]
    public void Raw_put() => RawPut(NextKey());

    [Benchmark, BenchmarkCategory("Put 4 KiB")]
    public void Store_put() => _store.Put(NextKey(), _data);

    [Benchmark(Baseline = true), BenchmarkCategory("PutMany 100 x 4 KiB")]
    public void Raw_put_batch()
    {
        using var transaction = _raw.BeginTransaction();
        _rawPut.Transaction = transaction;
        foreach (var item in _batch) RawPut(item.Key);
        transaction.Commit();
        _rawPut.Transaction = null;
    }

    [Benchmark, BenchmarkCategory("PutMany 100 x 4 KiB")]
    public void Store_put_batch() => _store.PutMany(_batch);

    [Benchmark(Baseline = true), BenchmarkCategory("Get 4 KiB")]
    public byte[] Raw_get()
    {
        _rawGet.Parameters["@key"].Value = NextKey();
        return (byte[])_rawGet.ExecuteScalar()!;
    }

    [Benchmark, BenchmarkCategory("Get 4 KiB")]
    public byte[] Store_get() => _store.Get(NextKey());
}

/// <summary>
/// One object just under SQLite's largest row (SQLITE_MAX_LENGTH, 1,000,000,000 bytes), 999,000,000 bytes, put through a stream and read
/// back through one, store against raw zeroblob + SqliteBlob. One cold iteration each; the figure that matters is
/// the memory: Allocated here, and the process's peak resident set, which each benchmark prints when it ends.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 0, iterationCount: 1)]
public class SqliteLargeObjectBenchmarks
{
    private const long Size = 999_000_000;
    private const int Chunk = 256 * 1024;
    private string _dir = "";
    private SqliteStore _store = null!;
    private SqliteConnection _raw = null!;

    [GlobalSetup]
    public void Setup()
    {
        _dir = Directory.CreateTempSubdirectory("sqlite-large-bench").FullName;
        _store = new SqliteStore(Path.Combine(_dir, "store.db"));
        var rawPath = Path.Combine(_dir, "raw.db");
        new SqliteStore(rawPath).Dispose();
        _raw = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = rawPath, Pooling = false }.ToString());
        _raw.Open();
    }

    [GlobalSetup(Targets = [nameof(Raw_read_1GB), nameof(Store_read_1GB)])]
    public void SetupForReads()
    {
        Setup();
        _store.Put("large", new GeneratedStream(Size));
        RawPut();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        var status = File.ReadAllLines("/proc/self/status").Where(l => l.StartsWith("VmHWM", StringComparison.Ordinal) || l.StartsWith("RssAnon", StringComparison.Ordinal));
        Console.WriteLine($"// Peak memory of this benchmark process: {string.Join(", ", status).Replace('\t', ' ')}");
        _raw.Dispose();
        _store.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Benchmark(Baseline = true)]
    public void Raw_put_1GB() => RawPut();

    [Benchmark]
    public void Store_put_1GB() => _store.Put("large", new GeneratedStream(Size));

    [Benchmark]
    public long Raw_read_1GB()
    {
        using var transaction = _raw.BeginTransaction(deferred: true);
        using var command = _raw.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT rowid FROM objects WHERE key = 'large'";
        using var blob = new SqliteBlob(_raw, "objects", "data", (long)command.ExecuteScalar()!, readOnly: true);
        return Drain(blob);
    }

    [Benchmark]
    public long Store_read_1GB()
    {
        using var stream = _store.OpenRead("large");
        return Drain(stream);
    }

    private void RawPut()
    {
        using var transaction = _raw.BeginTransaction();
        using var command = _raw.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT OR REPLACE INTO objects(key, data) VALUES('large', zeroblob(@length)) RETURNING rowid";
        command.Parameters.AddWithValue("@length", Size);
        using (var blob = new SqliteBlob(_raw, "objects", "data", (long)command.ExecuteScalar()!))
        {
            var source = new GeneratedStream(Size);
            var buffer = new byte[Chunk];
            int n;
            while ((n = source.Read(buffer, 0, buffer.Length)) > 0) blob.Write(buffer, 0, n);
        }
        transaction.Commit();
    }

    private static long Drain(Stream stream)
    {
        var buffer = new byte[Chunk];
        long total = 0;
        int n;
        while ((n = stream.Read(buffer, 0, buffer.Length)) > 0) total += n;
        return total;
    }

    // A seekable stream of known length whose bytes cost nothing to make, so the figures are SQLite's and ours.
    private sealed class GeneratedStream(long length) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get; set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = (int)Math.Min(count, length - Position);
            buffer.AsSpan(offset, n).Fill((byte)(Position >> 20));
            Position += n;
            return n;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => Position + offset,
            _ => length + offset,
        };
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

/// <summary>
/// Why readers lease connections from a pool: four threads each getting 250 objects of 4 KiB, through the store
/// against the simplest thread-safe alternative, one connection behind a lock (the baseline).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class SqliteConcurrencyBenchmarks
{
    private const int Threads = 4;
    private const int PerThread = 250;
    private readonly Lock _lock = new();
    private string _dir = "";
    private SqliteStore _store = null!;
    private SqliteConnection _locked = null!;
    private SqliteCommand _lockedGet = null!;

    [GlobalSetup]
    public void Setup()
    {
        _dir = Directory.CreateTempSubdirectory("sqlite-concurrency-bench").FullName;
        var path = Path.Combine(_dir, "store.db");
        _store = new SqliteStore(path);
        var data = new byte[4096];
        _store.PutMany(Enumerable.Range(0, PerThread).Select(i => new KeyValuePair<string, ReadOnlyMemory<byte>>($"k/{i:D3}", data)));
        _locked = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        _locked.Open();
        _lockedGet = _locked.CreateCommand();
        _lockedGet.CommandText = "SELECT data FROM objects WHERE key = @key";
        _lockedGet.Parameters.Add(new SqliteParameter("@key", null));
        _lockedGet.Prepare();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _lockedGet.Dispose();
        _locked.Dispose();
        _store.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Benchmark(Baseline = true)]
    public void One_connection_behind_a_lock() => Parallel.For(0, Threads, thread =>
    {
        for (int i = 0; i < PerThread; i++)
            lock (_lock)
            {
                _lockedGet.Parameters["@key"].Value = $"k/{i:D3}";
                _ = (byte[])_lockedGet.ExecuteScalar()!;
            }
    });

    [Benchmark]
    public void Store_with_pooled_readers() => Parallel.For(0, Threads, thread =>
    {
        for (int i = 0; i < PerThread; i++) _ = _store.Get($"k/{i:D3}");
    });
}
