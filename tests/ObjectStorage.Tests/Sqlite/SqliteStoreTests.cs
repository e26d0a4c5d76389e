using Microsoft.Data.Sqlite;
using ObjectStorage.Tests.Conformance;
using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Sqlite;

public sealed class SqliteStoreConformance : StoreConformance
{
    protected override ObjectStore CreateStore() => new SqliteStore(Path.Combine(NewTempDirectory("sqlite"), "objects.db"));
}

/// <summary>A file made with 64 KiB pages (<see cref="SqliteStoreOptions.PageSize"/>), where objects of a few KiB stay in their rows.</summary>
public sealed class SqliteLargePageStoreConformance : StoreConformance
{
    protected override ObjectStore CreateStore() =>
        new SqliteStore(Path.Combine(NewTempDirectory("sqlite-64k"), "objects.db"), new SqliteStoreOptions { PageSize = 65536 });
}

public sealed class SqliteMemoryStoreConformance : StoreConformance
{
    protected override ObjectStore CreateStore() => new SqliteStore(":memory:");
}

/// <summary>A read-only store over a file that another (writable) store on the same file fills.</summary>
public sealed class SqliteReadOnlyStoreConformance : StoreConformance
{
    private SqliteStore? _writer;

    protected override ObjectStore Writer => _writer!;

    protected override ObjectStore CreateStore()
    {
        var path = Path.Combine(NewTempDirectory("sqlite-ro"), "objects.db");
        _writer = Track(new SqliteStore(path));
        return new SqliteStore(path, new SqliteStoreOptions { ReadOnly = true });
    }
}

/// <summary>What only the SQLite medium promises: the file format, its setup and its failures.</summary>
public sealed class SqliteStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new("sqlite");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string DbPath => _dir.File("objects.db");

    public void Dispose() => _dir.Dispose();

    // ---- Construction ------------------------------------------------------------------------

    [Fact]
    public void New_store_creates_the_file_and_the_objects_table_in_WAL_mode()
    {
        Assert.False(File.Exists(DbPath));
        using (var store = new SqliteStore(DbPath)) store.Put("k", [1]);
        Assert.True(File.Exists(DbPath));
        Assert.Equal(["key", "data"], SqliteFiles.Column(DbPath, "SELECT name FROM pragma_table_info('objects')"));
        Assert.Equal(["key", "version", "modified", "content_type", "metadata"], SqliteFiles.Column(DbPath, "SELECT name FROM pragma_table_info('objects_meta')"));
        Assert.Equal("wal", SqliteFiles.Scalar(DbPath, "PRAGMA journal_mode"));
        Assert.Equal([1], SqliteFiles.Get(DbPath, "k"));
    }

    [Fact]
    public void PageSize_sets_the_page_size_of_a_new_file_and_an_existing_file_keeps_its_own()
    {
        using (var store = new SqliteStore(DbPath, new SqliteStoreOptions { PageSize = 65536 })) store.PutMany([new("a", new byte[4096]), new("b", new byte[] { 2 })]);
        Assert.Equal(65536L, SqliteFiles.Scalar(DbPath, "PRAGMA page_size"));
        // Four 4 KiB objects and their side-table rows fit in the first pages: none takes an overflow page of its own.
        Assert.True((long)SqliteFiles.Scalar(DbPath, "PRAGMA page_count")! <= 4);

        var original = _dir.File("original.db");
        using (var first = new SqliteStore(original)) first.Put("k", [1]);
        using (var reopened = new SqliteStore(original, new SqliteStoreOptions { PageSize = 65536 }))
        {
            reopened.Put("k2", [2]);
            Assert.Equal([1], reopened.Get("k"));
        }
        Assert.Equal(4096L, SqliteFiles.Scalar(original, "PRAGMA page_size"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(256)]
    [InlineData(1000)]
    [InlineData(131072)]
    public void PageSize_that_SQLite_cannot_take_is_refused_naming_the_rule(int size)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new SqliteStoreOptions { PageSize = size });
        Assert.Equal("PageSize", error.ParamName);
        Assert.Contains("power of two from 512 to 65,536", error.Message);
    }

    [Fact]
    public void A_file_that_is_not_a_database_fails_at_construction_naming_the_file()
    {
        File.WriteAllText(DbPath, new string('x', 4096));
        var ex = Assert.Throws<ObjectStoreException>(() => new SqliteStore(DbPath));
        Assert.Contains(DbPath, ex.Message);
        Assert.Contains("not a SQLite database", ex.Message);
        Assert.IsType<SqliteException>(ex.InnerException);
        Assert.Throws<ObjectStoreException>(() => new SqliteStore(DbPath, new SqliteStoreOptions { ReadOnly = true }));
    }

    [Fact]
    public void Read_only_open_of_a_database_without_the_table_fails_naming_the_file_and_creates_nothing()
    {
        using (var connection = SqliteFiles.Open(DbPath)) SqliteFiles.Execute(connection, "CREATE TABLE other(x)");
        var ex = Assert.Throws<ObjectStoreException>(() => new SqliteStore(DbPath, new SqliteStoreOptions { ReadOnly = true }));
        Assert.Contains(DbPath, ex.Message);
        Assert.Contains("no table 'objects'", ex.Message);
        Assert.Equal(["other"], SqliteFiles.Column(DbPath, "SELECT name FROM sqlite_master WHERE type = 'table'"));
    }

    [Fact]
    public void Read_only_open_of_a_missing_file_fails_naming_the_file()
    {
        var ex = Assert.Throws<ObjectStoreException>(() => new SqliteStore(DbPath, new SqliteStoreOptions { ReadOnly = true }));
        Assert.Contains(DbPath, ex.Message);
        Assert.False(File.Exists(DbPath));
    }

    [Fact]
    public void A_table_without_key_and_data_columns_is_refused_clearly()
    {
        using (var connection = SqliteFiles.Open(DbPath)) SqliteFiles.Execute(connection, "CREATE TABLE objects(id INTEGER, payload BLOB)");
        var ex = Assert.Throws<ObjectStoreException>(() => new SqliteStore(DbPath));
        Assert.Contains("'key' and 'data'", ex.Message);
    }

    [Fact]
    public void A_UTF16_database_is_refused_because_its_keys_would_not_list_in_UTF8_order()
    {
        using (var connection = SqliteFiles.Open(DbPath))
        {
            SqliteFiles.Execute(connection, "PRAGMA encoding = 'UTF-16le'");
            SqliteFiles.Execute(connection, "CREATE TABLE objects (key TEXT PRIMARY KEY, data BLOB)");
        }
        var ex = Assert.Throws<ObjectStoreException>(() => new SqliteStore(DbPath));
        Assert.Contains("UTF-16le", ex.Message);
        Assert.Contains(DbPath, ex.Message);
        Assert.Throws<ObjectStoreException>(() => new SqliteStore(DbPath, new SqliteStoreOptions { ReadOnly = true }));
    }

    [Fact]
    public void Read_only_store_reads_but_refuses_writes_and_leaves_the_schema_alone()
    {
        SqliteFiles.CreateLikePythonOriginal(DbPath, ("a", [1, 2]));
        using var store = new SqliteStore(DbPath, new SqliteStoreOptions { ReadOnly = true });
        Assert.False(store.CanWrite);
        Assert.False(store.CanPutIfNotExists);
        Assert.Equal([1, 2], store.Get("a"));
        Assert.Equal(["a"], store.Keys().ToList());
        Assert.Contains("read-only", Assert.Throws<NotSupportedException>(() => store.Put("b", [3])).Message);
        Assert.Throws<NotSupportedException>(() => store.PutMany([new("b", new byte[] { 3 })]));
        Assert.Throws<NotSupportedException>(() => store.Delete("a"));
        Assert.Equal(["key", "data"], SqliteFiles.Column(DbPath, "SELECT name FROM pragma_table_info('objects')"));
    }

    [Fact]
    public void Memory_database_cannot_be_opened_read_only()
    {
        Assert.Throws<ArgumentException>(() => new SqliteStore(":memory:", new SqliteStoreOptions { ReadOnly = true }));
    }

    [Fact]
    public void Each_memory_store_is_its_own_database()
    {
        using var one = new SqliteStore(":memory:");
        using var two = new SqliteStore(":memory:");
        one.Put("k", [1]);
        Assert.False(two.Exists("k"));
        Assert.Equal([1], ReadAll(one.OpenRead("k")));
    }

    // ---- The Python original's files ---------------------------------------------------------

    [Fact]
    public void A_file_written_by_the_Python_original_opens_and_reads_by_key()
    {
        SqliteFiles.CreateLikePythonOriginal(DbPath, ("docs/b", [2, 2]), ("docs/a", [1]), ("z", []));
        using var store = new SqliteStore(DbPath);
        Assert.Equal([1], store.Get("docs/a"));
        Assert.Equal([2, 2], ReadAll(store.OpenRead("docs/b")));
        Assert.Equal(["docs/a", "docs/b"], store.Keys("docs/").ToList());
        var info = store.Stat("docs/b")!;
        Assert.Equal(2, info.Size);
        Assert.False(string.IsNullOrEmpty(info.ETag));
        Assert.Equal([0L, 1L, 2L], store.List().Select(i => i.Size).Order().ToList());
    }

    [Fact]
    public void Unstamped_rows_of_a_read_only_file_still_get_an_ETag_that_changes_on_overwrite()
    {
        SqliteFiles.CreateLikePythonOriginal(DbPath, ("k", [1]), ("other", [9]));
        using var store = new SqliteStore(DbPath, new SqliteStoreOptions { ReadOnly = true });
        var before = store.Stat("k")!;
        Assert.False(string.IsNullOrEmpty(before.ETag));
        Assert.Null(before.LastModified);
        Assert.Equal(before.ETag, store.List("k").Single().ETag);
        SqliteFiles.PutLikePythonOriginal(DbPath, "k", [2]);
        Assert.NotEqual(before.ETag, store.Stat("k")!.ETag);
        Assert.Equal([2], store.Get("k"));
    }

    [Fact]
    public void Rows_the_Python_original_writes_into_our_file_get_a_new_ETag_and_time()
    {
        using var store = new SqliteStore(DbPath);
        store.Put("k", [1]);
        var ours = store.Stat("k")!;
        Assert.NotNull(ours.LastModified);

        SqliteFiles.PutLikePythonOriginal(DbPath, "k", [2]);
        var replaced = store.Stat("k")!;
        Assert.NotEqual(ours.ETag, replaced.ETag);
        Assert.NotNull(replaced.LastModified);

        using (var connection = SqliteFiles.Open(DbPath))
            SqliteFiles.Execute(connection, "UPDATE objects SET data = x'03' WHERE key = 'k'");
        var updated = store.Stat("k")!;
        Assert.NotEqual(replaced.ETag, updated.ETag);
        Assert.Equal([3], store.Get("k"));

        SqliteFiles.PutLikePythonOriginal(DbPath, "new", [4]);
        Assert.False(string.IsNullOrEmpty(store.Stat("new")!.ETag));
        Assert.Equal(updated.ETag, store.Stat("k")!.ETag);
    }

    [Fact]
    public void A_file_the_Python_original_wrote_keeps_metadata_beside_its_table_and_still_reads_with_plain_SQL()
    {
        SqliteFiles.CreateLikePythonOriginal(DbPath, ("old", [1]));
        var time = new DateTimeOffset(2019, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);
        using (var store = new SqliteStore(DbPath))
        {
            store.Put("new", [2], new PutOptions { ContentType = "text/csv", Metadata = new Dictionary<string, string> { ["Owner"] = "ops" }, LastModified = time });
            Assert.Equal([1], store.Get("old"));
        }
        Assert.Equal(["key", "data"], SqliteFiles.Column(DbPath, "SELECT name FROM pragma_table_info('objects')"));
        Assert.Equal([2], SqliteFiles.Get(DbPath, "new"));
        SqliteFiles.PutLikePythonOriginal(DbPath, "old", [3]);
        using var reopened = new SqliteStore(DbPath, new SqliteStoreOptions { ReadOnly = true });
        var info = reopened.Stat("new")!;
        Assert.Equal(("text/csv", "ops", time), (info.ContentType, info.Metadata!["owner"], info.LastModified));
        Assert.Equal(info, reopened.List("new").Single());
        Assert.Equal([3], reopened.Get("old"));
        Assert.Null(reopened.Stat("old")!.ContentType);
    }

    [Fact]
    public void A_side_table_an_earlier_version_wrote_gains_the_metadata_columns_when_opened_to_write()
    {
        using (var connection = SqliteFiles.Open(DbPath))
        {
            SqliteFiles.Execute(connection, "CREATE TABLE objects(key TEXT PRIMARY KEY, data BLOB)");
            SqliteFiles.Execute(connection, "CREATE TABLE objects_meta(key TEXT PRIMARY KEY, version INTEGER NOT NULL, modified INTEGER) WITHOUT ROWID");
            SqliteFiles.Execute(connection, "INSERT INTO objects VALUES ('k', x'01')");
            SqliteFiles.Execute(connection, "INSERT INTO objects_meta VALUES ('k', 7, 1000)");
        }
        using (var readOnly = new SqliteStore(DbPath, new SqliteStoreOptions { ReadOnly = true }))
        {
            Assert.Equal(MetadataKinds.None, readOnly.MetadataSupport.Kept);
            Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1000), readOnly.Stat("k")!.LastModified);
        }
        using var store = new SqliteStore(DbPath);
        Assert.Equal(MetadataKinds.All, store.MetadataSupport.Kept);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1000), store.Stat("k")!.LastModified);
        store.Put("k", [2], new PutOptions { ContentType = "a/b" });
        Assert.Equal("a/b", store.Stat("k")!.ContentType);
    }

    [Fact]
    public void A_file_we_write_reads_and_writes_with_plain_SQL_while_the_store_is_open()
    {
        using var store = new SqliteStore(DbPath);
        store.Put("ours", [1, 2, 3]);
        store.PutMany([new("batch/1", new byte[] { 4 }), new("batch/2", new byte[] { 5 })]);
        Assert.Equal([1, 2, 3], SqliteFiles.Get(DbPath, "ours"));
        Assert.Equal([5], SqliteFiles.Get(DbPath, "batch/2"));
        SqliteFiles.PutLikePythonOriginal(DbPath, "theirs", [7]);
        Assert.Equal([7], store.Get("theirs"));
        Assert.Equal(["batch/1", "batch/2", "ours", "theirs"], store.Keys().ToList());
    }

    [Fact]
    public async Task Python_sqlite3_reads_and_writes_a_file_we_wrote()
    {
        using (var store = new SqliteStore(DbPath))
        {
            store.Put("from/dotnet", "hello"u8.ToArray());
            store.Put("big", TestData.Bytes(3 << 20, seed: 5));
        }
        const string script = """
            import hashlib, sqlite3, sys
            db = sqlite3.connect(sys.argv[1])
            print(db.execute("SELECT data FROM objects WHERE key = ?", ("from/dotnet",)).fetchone()[0].decode())
            print(hashlib.sha256(db.execute("SELECT data FROM objects WHERE key = ?", ("big",)).fetchone()[0]).hexdigest())
            db.execute("INSERT OR REPLACE INTO objects (key, data) VALUES (?, ?)", ("from/python", b"bonjour"))
            db.execute("INSERT OR REPLACE INTO objects (key, data) VALUES (?, ?)", ("from/dotnet", b"overwritten"))
            db.execute("INSERT INTO objects VALUES (?, ?)", ("positional", b"!"))
            db.execute("DELETE FROM objects WHERE key = ?", ("big",))
            db.commit()
            print(",".join(k for (k,) in db.execute("SELECT key FROM objects ORDER BY key")))
            """;
        var lines = (await SqliteFiles.RunPythonAsync(script, DbPath)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("hello", lines[0]);
        Assert.Equal(TestData.Sha256(TestData.Bytes(3 << 20, seed: 5)), lines[1].ToUpperInvariant());
        Assert.Equal("from/dotnet,from/python,positional", lines[2]);
        using var reopened = new SqliteStore(DbPath);
        Assert.Equal("bonjour"u8.ToArray(), reopened.Get("from/python"));
        Assert.Equal("overwritten"u8.ToArray(), reopened.Get("from/dotnet"));
        Assert.Equal("!"u8.ToArray(), reopened.Get("positional"));
        Assert.False(reopened.Exists("big"));
        Assert.NotNull(reopened.Stat("from/python")!.LastModified);
        Assert.Equal(3L, SqliteFiles.Scalar(DbPath, "SELECT count(*) FROM objects_meta"));
    }

    [Fact]
    public async Task A_file_Python_sqlite3_created_opens_in_ours()
    {
        const string script = """
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1])
            db.execute("CREATE TABLE IF NOT EXISTS objects (key TEXT PRIMARY KEY, data BLOB)")
            db.execute("INSERT OR REPLACE INTO objects (key, data) VALUES (?, ?)", ("caf\u00e9/\U0001F600", b"\x00\x01\xff"))
            db.commit()
            """;
        await SqliteFiles.RunPythonAsync(script, DbPath);
        using (var readOnly = new SqliteStore(DbPath, new SqliteStoreOptions { ReadOnly = true }))
            Assert.Equal([0, 1, 255], readOnly.Get("café/😀"));
        using var store = new SqliteStore(DbPath);
        Assert.Equal(["café/😀"], store.Keys().ToList());
        store.Put("café/😀", [4]);
        Assert.Equal([4], SqliteFiles.Get(DbPath, "café/😀"));
    }

    // ---- PutMany -----------------------------------------------------------------------------

    [Fact]
    public async Task PutMany_writes_every_object_sync_and_async()
    {
        using var store = new SqliteStore(DbPath);
        store.PutMany(Enumerable.Range(0, 100).Select(i => new KeyValuePair<string, ReadOnlyMemory<byte>>($"s/{i:D3}", TestData.Bytes(10, i))));
        await store.PutManyAsync(Enumerable.Range(0, 100).Select(i => new KeyValuePair<string, ReadOnlyMemory<byte>>($"a/{i:D3}", TestData.Bytes(10, i))), Ct);
        Assert.Equal(200, store.Keys().Count());
        Assert.Equal(TestData.Bytes(10, 42), store.Get("s/042"));
        Assert.Equal(TestData.Bytes(10, 99), await store.GetAsync("a/099", Ct));
    }

    [Fact]
    public async Task PutMany_on_large_pages_writes_rows_in_groups_and_keeps_every_object_its_order_and_its_stamp()
    {
        using var store = new SqliteStore(DbPath, new SqliteStoreOptions { PageSize = 65536 });
        store.Put("old", [9]);
        var before = store.Stat("old")!.ETag;
        // 130 objects: two full groups of 50, a large one between them that goes alone, a key written twice (the
        // later wins, as one by one), a run too short for a group, and an empty object.
        var batch = Enumerable.Range(0, 130).Select(i => new KeyValuePair<string, ReadOnlyMemory<byte>>($"g/{i:D3}", TestData.Bytes(100 + i, i))).ToList();
        batch[60] = new("g/060", TestData.Bytes(300 * 1024, 60));
        batch[70] = new("old", new byte[] { 7 });
        batch[120] = new("g/120", Array.Empty<byte>());
        batch.Add(new("g/005", new byte[] { 5, 5 }));

        await store.PutManyAsync(batch, Ct);

        var expected = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (key, value) in batch) expected[key] = value.ToArray();
        Assert.Equal(expected.Keys.Order(KeyComparer.Utf8), store.Keys());
        foreach (var (key, value) in expected) Assert.Equal(value, store.Get(key));
        Assert.Equal([5, 5], store.Get("g/005"));
        Assert.NotEqual(before, store.Stat("old")!.ETag);
        Assert.Equal(expected.Count, store.List().Select(static i => i.ETag).Distinct().Count()); // the trigger stamped every row
    }

    [Fact]
    public async Task PutMany_with_one_invalid_key_writes_nothing()
    {
        using var store = new SqliteStore(DbPath);
        store.Put("kept", [1]);
        KeyValuePair<string, ReadOnlyMemory<byte>>[] batch = [new("kept", new byte[] { 2 }), new("fine", new byte[] { 3 }), new("bad\0key", new byte[] { 4 })];
        Assert.Throws<InvalidKeyException>(() => store.PutMany(batch));
        await Assert.ThrowsAsync<InvalidKeyException>(async () => await store.PutManyAsync(batch, Ct));
        Assert.Equal([1], store.Get("kept"));
        Assert.False(store.Exists("fine"));
    }

    [Fact]
    public async Task PutMany_cancelled_part_way_writes_nothing()
    {
        using var store = new SqliteStore(DbPath);
        using var cts = new CancellationTokenSource();
        IEnumerable<KeyValuePair<string, ReadOnlyMemory<byte>>> Batch()
        {
            for (int i = 0; i < 10; i++) yield return new($"c/{i}", new byte[] { (byte)i });
        }
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.PutManyAsync(Batch(), cts.Token));
        Assert.Empty(store.Keys());
    }

    [Fact]
    public void PutMany_lands_in_one_transaction_that_a_second_connection_sees_whole()
    {
        using var store = new SqliteStore(DbPath);
        store.PutMany(Enumerable.Range(0, 500).Select(i => new KeyValuePair<string, ReadOnlyMemory<byte>>($"t/{i:D3}", new byte[] { 1 })));
        // One transaction: the WAL holds one commit frame set; a reader counting rows sees all of them.
        Assert.Equal(500L, SqliteFiles.Scalar(DbPath, "SELECT count(*) FROM objects"));
        Assert.Throws<ObjectDisposedException>(() => { store.Dispose(); store.PutMany([]); });
    }

    // ---- Streams -----------------------------------------------------------------------------

    [Fact]
    public void An_open_read_stream_keeps_its_version_while_the_object_is_overwritten_and_deleted()
    {
        using var store = new SqliteStore(DbPath);
        var first = TestData.Bytes(3 << 20, seed: 1);
        store.Put("v", first);
        using var stream = store.OpenRead("v");
        var head = new byte[1000];
        stream.ReadExactly(head);
        store.Put("v", TestData.Bytes(1 << 20, seed: 2));
        store.Put("v", new MemoryStream(TestData.Bytes(5 << 20, seed: 3)));
        var rest = new MemoryStream();
        stream.CopyTo(rest);
        Assert.Equal(first, head.Concat(rest.ToArray()).ToArray());
        store.Delete("v");
        stream.Position = 0;
        Assert.Equal(TestData.Sha256(first), TestData.Sha256(stream));
        Assert.Equal(first.Length, stream.Length);
        Assert.False(store.Exists("v"));
    }

    [Fact]
    public void A_stream_that_fails_mid_put_leaves_the_previous_version()
    {
        using var store = new SqliteStore(DbPath);
        store.Put("k", [1, 2, 3]);
        var seekable = new FailingStream(new MemoryStream(TestData.Bytes(4 << 20)), failAfter: 2 << 20);
        Assert.Throws<IOException>(() => store.Put("k", seekable));
        Assert.Equal([1, 2, 3], store.Get("k"));
        var unknownLength = new FailingStream(new PatternStream(8 << 20), failAfter: 3 << 20);
        Assert.Throws<IOException>(() => store.Put("k", unknownLength));
        Assert.Equal([1, 2, 3], store.Get("k"));
        Assert.Equal(["objects.db", "objects.db-shm", "objects.db-wal"], Directory.GetFiles(_dir.Path).Select(Path.GetFileName).Order().ToList());
    }

    [Fact]
    public void A_seekable_stream_is_stored_as_the_bytes_it_holds_whatever_its_length_says()
    {
        using var store = new SqliteStore(DbPath);
        foreach (var (bytes, claimed) in new[] { (1000, 5000L), (3 << 20, 1L << 20), (5, 0L) })
        {
            store.Put("k", new LyingLengthStream(TestData.Bytes(bytes), claimed));
            Assert.Equal(TestData.Bytes(bytes), store.Get("k"));
            Assert.Equal(bytes, store.Stat("k")!.Size);
        }
        Assert.Equal(["objects.db", "objects.db-shm", "objects.db-wal"], Directory.GetFiles(_dir.Path).Select(Path.GetFileName).Order().ToList());
    }

    [Fact]
    public void An_object_over_SQLites_value_limit_is_refused_before_anything_is_read()
    {
        using var store = new SqliteStore(DbPath);
        var huge = new LyingLengthStream([], claimed: 1L << 30);
        var ex = Assert.Throws<ObjectStoreException>(() => store.Put("huge", huge));
        Assert.Contains("SQLITE_MAX_LENGTH", ex.Message);
        Assert.Equal(0, huge.Position);
        Assert.False(store.Exists("huge"));
    }

    [Fact]
    public void Stream_of_unknown_length_over_the_memory_threshold_spools_and_round_trips()
    {
        using var store = new SqliteStore(DbPath);
        store.Put("spooled", new PatternStream((3 << 20) + 17, seed: 4));
        Assert.Equal((3 << 20) + 17, store.Stat("spooled")!.Size);
        using var stream = store.OpenRead("spooled");
        Assert.Null(PatternStream.Compare(stream, (3 << 20) + 17, seed: 4));
        Assert.Equal(3, Directory.GetFiles(_dir.Path).Length);
    }

    // ---- Listing -----------------------------------------------------------------------------

    [Theory]
    [InlineData("a\uFFFF", new[] { "a\uFFFF", "a\uFFFFb" })]
    [InlineData("a\U0010FFFF", new[] { "a\U0010FFFF", "a\U0010FFFFz" })]
    [InlineData("a\U0001F600", new[] { "a\U0001F600x" })]
    [InlineData("a\uD7FF", new[] { "a\uD7FFq" })]
    [InlineData("a", new[] { "a\uD7FFq", "a\uE000", "a\uFFFF", "a\uFFFFb", "a\U0001F600x", "a\U0001F601", "a\U0010FFFF", "a\U0010FFFFz" })]
    public void Prefixes_ending_in_the_highest_characters_list_exactly_their_keys(string prefix, string[] expected)
    {
        using var store = new SqliteStore(DbPath);
        foreach (var key in new[] { "a\uD7FFq", "a\uE000", "a\uFFFF", "a\uFFFFb", "a\U0001F600x", "a\U0001F601", "a\U0010FFFF", "a\U0010FFFFz", "b" })
            store.Put(key, [1]);
        Assert.Equal(expected, store.Keys(prefix).ToList());
        Assert.Equal(expected, store.List(prefix).Select(i => i.Key).ToList());
    }

    [Theory]
    [InlineData("", null)]
    [InlineData("ab", "ac")]
    [InlineData("a\uD7FF", "a\uE000")]
    [InlineData("a\uFFFF", "a\U00010000")]
    [InlineData("a\U0010FFFF", "b")]
    [InlineData("\U0010FFFF\U0010FFFF", null)]
    public void Upper_bound_of_a_prefix_is_the_next_code_point(string prefix, string? upper)
    {
        Assert.Equal(upper, SqliteStatements.UpperBound(prefix));
    }

    [Fact]
    public void Prefix_listing_is_a_range_scan_of_the_key_index()
    {
        using (new SqliteStore(DbPath)) { }
        var sql = SqliteStatements.For(SideTable.Described);
        foreach (bool withInfo in new[] { false, true })
            foreach (bool afterFirst in new[] { false, true })
            {
                var plan = string.Join(" | ", SqliteFiles.Column(DbPath, "EXPLAIN QUERY PLAN " + sql[(int)SqliteStatements.Page(withInfo, afterFirst, bounded: true)]
                    .Replace("@from", "'a'").Replace("@to", "'b'").Replace("@limit", "10"), column: 3));
                Assert.Contains("INDEX sqlite_autoindex_objects_1 (key>? AND key<?)", plan);
                Assert.DoesNotContain("TEMP B-TREE", plan);
            }
    }

    [Fact]
    public async Task Listing_pages_through_many_keys_in_order_while_the_store_changes()
    {
        using var store = new SqliteStore(DbPath);
        var keys = Enumerable.Range(0, 1000).Select(i => $"p/{i:D4}").ToList();
        store.PutMany(keys.Select(k => new KeyValuePair<string, ReadOnlyMemory<byte>>(k, new byte[] { 1 })));
        store.Put("q", [1]);
        var seen = new List<string>();
        foreach (var info in store.List("p/"))
        {
            seen.Add(info.Key);
            if (seen.Count == 300) store.Delete("p/0999");
        }
        Assert.Equal(keys.Take(999), seen);
        var asyncSeen = new List<string>();
        await foreach (var key in store.KeysAsync("p/", Ct)) asyncSeen.Add(key);
        Assert.Equal(keys.Take(999), asyncSeen);
    }

    [Fact]
    public void Keys_come_in_the_order_of_SQLites_BINARY_collation_which_is_UTF8_byte_order()
    {
        using var store = new SqliteStore(DbPath);
        string[] keys = ["\uFFFD", "\U0001F600", "\uE000", "z", "é", "a/b", "a.b", "a0", "A"];
        foreach (var key in keys) store.Put(key, [1]);
        var byBytes = keys.OrderBy(k => System.Text.Encoding.UTF8.GetBytes(k), Comparer<byte[]>.Create((x, y) => x.AsSpan().SequenceCompareTo(y))).ToList();
        Assert.Equal(byBytes, store.Keys().ToList());
        Assert.Equal(byBytes, SqliteFiles.Column(DbPath, "SELECT key FROM objects ORDER BY key"));
        Assert.Equal(keys.Order(KeyComparer.Utf8).ToList(), byBytes);
    }

    // ---- Helpers -----------------------------------------------------------------------------

    private static byte[] ReadAll(Stream stream)
    {
        using (stream)
        {
            var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        }
    }
}
