using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.Data.Sqlite;

namespace ObjectStorage.Benchmarks;

/// <summary>
/// Issue 20: SqliteStore with durable commits (WAL, <c>synchronous=FULL</c>: a commit survives a power cut) and
/// with the default (WAL, <c>synchronous=NORMAL</c>), against the Python original's semantics run through
/// Microsoft.Data.Sqlite on its own table: a rollback journal (<c>journal_mode=DELETE</c>) and
/// <c>synchronous=FULL</c>, as Python's sqlite3 module leaves them, with one commit per put. 4 KiB objects;
/// the batch is one <c>PutMany</c> of 100 objects, reported per object. Run it with <c>TMPDIR</c> on the
/// disk to measure (a fresh ext4 image: docs/benchmarks.md, "Performance (issue 20)").
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory), CategoriesColumn]
public class SqliteDurabilityBenchmarks
{
    private const int Size = 4096;
    private const int BatchSize = 100;
    private const int KeySpace = 1000;

    private readonly byte[] _data = new byte[Size];
    private readonly string[] _keys = [.. Enumerable.Range(0, KeySpace).Select(static i => $"bench/{i:D4}")];
    private string _dir = "";
    private SqliteStore _durable = null!, _normal = null!;
    private SqliteConnection _original = null!;
    private SqliteCommand _originalPut = null!;
    private FileStream _floor = null!;
    private KeyValuePair<string, ReadOnlyMemory<byte>>[][] _batches = [];
    private KeyValuePair<string, ReadOnlyMemory<byte>>[] _all = [];
    private int _next, _nextBatch;

    [GlobalSetup]
    public void Setup()
    {
        new Random(1).NextBytes(_data);
        _dir = Directory.CreateTempSubdirectory("sqlite-durability-bench").FullName;
        _durable = new SqliteStore(Path.Combine(_dir, "durable.db"), new SqliteStoreOptions { DurableCommits = true });
        _normal = new SqliteStore(Path.Combine(_dir, "normal.db"));
        _original = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(_dir, "original.db"), Pooling = false }.ToString());
        _original.Open();
        foreach (var statement in new[] { "PRAGMA journal_mode = DELETE", "PRAGMA synchronous = FULL", "CREATE TABLE IF NOT EXISTS objects(key TEXT PRIMARY KEY, data BLOB)" })
        {
            using var command = _original.CreateCommand();
            command.CommandText = statement;
            command.ExecuteNonQuery();
        }
        _originalPut = _original.CreateCommand();
        _originalPut.CommandText = "INSERT OR REPLACE INTO objects(key, data) VALUES(@key, @data)";
        _originalPut.Parameters.Add(new SqliteParameter("@key", null));
        _originalPut.Parameters.Add(new SqliteParameter("@data", null));
        _originalPut.Prepare();
        _batches = [.. _keys.Chunk(BatchSize).Select(chunk => chunk.Select(k => new KeyValuePair<string, ReadOnlyMemory<byte>>(k, _data)).ToArray())];
        _all = [.. _batches.SelectMany(static b => b)];
        _floor = new FileStream(Path.Combine(_dir, "floor.bin"), FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
        foreach (var key in _keys)
        {
            _durable.Put(key, _data);
            _normal.Put(key, _data);
            OriginalPut(key);
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _floor.Dispose();
        _originalPut.Dispose();
        _original.Dispose();
        _durable.Dispose();
        _normal.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private string NextKey() => _keys[_next++ % KeySpace];

    // Microsoft.Data.Sqlite commits each statement outside a transaction, as Python's sqlite3 does with commit() after each put.
    private void OriginalPut(string key)
    {
        _originalPut.Parameters["@key"].Value = key;
        _originalPut.Parameters["@data"].Value = _data;
        _originalPut.ExecuteNonQuery();
    }

    [Benchmark(Baseline = true, Description = "original: rollback journal, FULL, commit per put"), BenchmarkCategory("Put")]
    public void Original() => OriginalPut(NextKey());

    [Benchmark(Description = "SqliteStore durable: WAL, FULL"), BenchmarkCategory("Put")]
    public void Durable() => _durable.Put(NextKey(), _data);

    [Benchmark(Description = "SqliteStore default: WAL, NORMAL"), BenchmarkCategory("Put")]
    public void Normal() => _normal.Put(NextKey(), _data);

    [Benchmark(Description = "SqliteStore durable: PutMany of 100", OperationsPerInvoke = BatchSize), BenchmarkCategory("Put")]
    public void DurableBatch() => _durable.PutMany(_batches[_nextBatch++ % _batches.Length]);

    [Benchmark(Description = "SqliteStore durable: PutMany of 1,000", OperationsPerInvoke = KeySpace), BenchmarkCategory("Put")]
    public void DurableBatch1000() => _durable.PutMany(_all);

    // What the disk allows a durable batch at best: the batch's bytes written once to a plain file, then one fsync
    // (a WAL writes them twice: into the log, then into the database at the checkpoint).
    [Benchmark(Description = "floor: 1,000 × 4 KiB into a file, one fsync", OperationsPerInvoke = KeySpace), BenchmarkCategory("Put")]
    public void Floor1000()
    {
        _floor.Position = 0;
        for (int i = 0; i < KeySpace; i++) _floor.Write(_data);
        _floor.Flush(flushToDisk: true);
    }
}
