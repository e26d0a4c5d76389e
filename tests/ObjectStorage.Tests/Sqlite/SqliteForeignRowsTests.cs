using System.Text;
using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Sqlite;

/// <summary>Rows that other programs wrote into the Python original's table: data of every storage class, keys that are no UTF-8 text.</summary>
public sealed class SqliteForeignRowsTests : IDisposable
{
    private readonly TempDirectory _dir = new("sqlite-foreign");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string DbPath => _dir.File("objects.db");

    public void Dispose() => _dir.Dispose();

    // Each value as plain SQL stores it, and the bytes a get must return.
    public static TheoryData<string, byte[]> DataOfEveryReadableClass => new()
    {
        { "'h\u00e9llo \U0001F600'", Encoding.UTF8.GetBytes("h\u00e9llo \U0001F600") },
        { "CAST(x'ff00fe' AS TEXT)", [0xFF, 0x00, 0xFE] },
        { "''", [] },
        { "42", "42"u8.ToArray() },
        { "-9223372036854775808", "-9223372036854775808"u8.ToArray() },
        { "NULL", [] },
        { "x'0001'", [0, 1] },
    };

    [Theory, MemberData(nameof(DataOfEveryReadableClass))]
    public async Task Data_of_every_storage_class_reads_as_its_bytes_with_sizes_that_match(string sqlValue, byte[] expected)
    {
        CreateTable($"INSERT INTO objects(key, data) VALUES ('k', {sqlValue})");
        foreach (var store in OpenBoth())
            using (store)
            {
                Assert.Equal(expected, store.Get("k"));
                Assert.Equal(expected, await store.GetAsync("k", Ct));
                using (var stream = store.OpenRead("k")) Assert.Equal(expected, ReadAll(stream));
                Assert.Equal(expected.Length, store.Stat("k")!.Size);
                Assert.Equal(expected.Length, Assert.Single(store.List()).Size);
            }
    }

    [Fact]
    public void A_REAL_is_refused_per_row_naming_key_class_and_store_and_skipped_by_listings_with_a_report()
    {
        CreateTable("INSERT INTO objects(key, data) VALUES ('a', x'01'), ('number', 0.30000000000000004), ('z', 'text')");
        using var store = new SqliteStore(DbPath);
        foreach (var refused in new Action[] { () => store.Get("number"), () => store.OpenRead("number").Dispose(), () => store.Stat("number") })
        {
            var ex = Assert.Throws<ObjectStoreException>(refused);
            Assert.Contains("REAL", ex.Message);
            Assert.Equal("number", ex.Key);
            Assert.Contains(DbPath, ex.Message);
        }
        var skipped = Skipped(store, () =>
        {
            Assert.Equal(["a", "z"], store.Keys().ToList());
            Assert.Equal([1L, 4L], store.List().Select(i => i.Size).ToList());
        });
        Assert.Equal(["number", "number"], skipped.Select(s => s.Entry));
        Assert.All(skipped, s => Assert.Contains("REAL", s.Reason));
        Assert.Equal("text"u8.ToArray(), store.Get("z"));
    }

    [Fact]
    public void Keys_that_are_BLOBs_NULL_numbers_or_invalid_UTF8_are_reported_and_the_rest_list_in_byte_order_and_are_found()
    {
        // A table without TEXT affinity keeps numbers as numbers; the Python original's keeps BLOBs and invalid UTF-8 text.
        CreateTable("INSERT INTO objects(key, data) VALUES ('b', x'02'), (x'61', x'ff'), (CAST(x'61ff' AS TEXT), x'ff'), ('a', x'01'), ('\u00e9', x'03'), (NULL, x'ff'), (5, x'ff')");
        using var store = new SqliteStore(DbPath);
        var skipped = Skipped(store, () => Assert.Equal(["a", "b", "\u00e9"], store.Keys().ToList()));
        Assert.Equal(["x'61ff'", "NULL", "x'35'", "x'61'"], skipped.Select(s => s.Entry));
        Assert.Contains("not valid UTF-8", skipped[0].Reason);
        Assert.Contains("NULL, not TEXT", skipped[1].Reason);
        Assert.Contains("of storage class INTEGER, not TEXT", skipped[2].Reason);
        Assert.Contains("of storage class BLOB, not TEXT", skipped[3].Reason);
        skipped = Skipped(store, () =>
        {
            Assert.Equal(["a", "b", "\u00e9"], store.List().Select(i => i.Key).ToList());
            Assert.Equal(["a"], store.Keys("a").ToList());
        });
        Assert.Equal(["x'61ff'", "NULL", "x'35'", "x'61'", "x'61ff'", "x'61'"], skipped.Select(s => s.Entry));
        foreach (var key in new[] { "a", "b", "\u00e9" }) Assert.Equal(store.Get(key).Length, store.Stat(key)!.Size);
        Assert.Equal([1], store.Get("a"));
    }

    [Fact]
    public void A_key_that_is_not_UTF8_at_a_page_boundary_neither_ends_nor_repeats_the_listing()
    {
        var rows = Enumerable.Range(0, 255).Select(i => $"('k{i:D3}', x'01')")
            .Append("(CAST(x'6b323534ff' AS TEXT), x'01')")
            .Concat(Enumerable.Range(255, 45).Select(i => $"('k{i:D3}', x'01')"));
        CreateTable($"INSERT INTO objects(key, data) VALUES {string.Join(", ", rows)}");
        using var store = new SqliteStore(DbPath);
        var skipped = Skipped(store, () =>
            Assert.Equal(Enumerable.Range(0, 300).Select(i => $"k{i:D3}"), store.Keys().ToList()));
        Assert.Equal(["x'6b323534ff'"], skipped.Select(s => s.Entry));
    }

    [Fact]
    public void A_sync_from_foreign_rows_converges_and_a_second_run_copies_nothing()
    {
        CreateTable("INSERT INTO objects(key, data) VALUES ('text', '\u00e9t\u00e9'), ('int', 7), ('blob', x'00')");
        using var source = new SqliteStore(DbPath);
        using var target = new DictStore();
        var first = StoreSync.Sync(source, target, new SyncOptions());
        Assert.Equal(3, first.Copied);
        Assert.Equal(Encoding.UTF8.GetBytes("\u00e9t\u00e9"), target.Get("text"));
        Assert.Equal("7"u8.ToArray(), target.Get("int"));
        var second = StoreSync.Sync(source, target, new SyncOptions { Compare = SyncCompare.Size });
        Assert.Equal(0, second.Copied);
    }

    // ---- Helpers -----------------------------------------------------------------------------

    private void CreateTable(string insert)
    {
        using var connection = SqliteFiles.Open(DbPath);
        // As the Python original creates it; a keyless-affinity variant when a test needs numeric keys.
        SqliteFiles.Execute(connection, insert.Contains("(NULL,", StringComparison.Ordinal)
            ? "CREATE TABLE objects (key PRIMARY KEY, data BLOB)"
            : "CREATE TABLE objects (key TEXT PRIMARY KEY, data BLOB)");
        SqliteFiles.Execute(connection, insert);
    }

    // The store both ways it opens a foreign file: writable (which adds its side table) and read-only.
    private IEnumerable<SqliteStore> OpenBoth()
    {
        yield return new SqliteStore(DbPath, new SqliteStoreOptions { ReadOnly = true });
        yield return new SqliteStore(DbPath);
    }

    private static List<SkippedEntry> Skipped(ObjectStore store, Action listing)
    {
        var skipped = new List<SkippedEntry>();
        EventHandler<SkippedEntry> handler = (_, entry) => skipped.Add(entry);
        store.EntrySkipped += handler;
        try
        {
            listing();
        }
        finally
        {
            store.EntrySkipped -= handler;
        }
        return skipped;
    }

    private static byte[] ReadAll(Stream stream)
    {
        var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
