using System.Text;
using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Reliability;

/// <summary>
/// Files a store is pointed at that it must not trust: each fails at construction or at the first
/// operation with an <see cref="ObjectStoreException"/> that names the file, and leaves every
/// byte in its directory as it was, with nothing added beside it. The per-store tests cover more
/// variants of some (ZipDamagedArchiveTests: ten unsafe entry names and five kinds of damage;
/// SqliteStoreTests: not a database, no table, wrong columns, UTF-16); this table runs one of each
/// kind under the same before/after check of the whole directory.
/// </summary>
public sealed class HostileFileTests : IDisposable
{
    private readonly TempDirectory _dir = new("hostile-files");

    public void Dispose() => _dir.Dispose();

    /// <summary>A hostile file: how to make it (in the directory given), and how a store opens it and runs a first operation.</summary>
    private sealed record Case(string Name, Func<string, string> Make, Func<string, ObjectStore> Open, string Says, bool SqlContentOnly = false);

    private static readonly byte[] Earlier = Encoding.UTF8.GetBytes("earlier data that must survive");

    private static readonly Case[] Cases =
    [
        new("zip with an entry name that is no key",
            dir => ZipFixtures.Write(Path.Combine(dir, "evil.zip"), ("fine", Earlier), ("../../etc/evil\0", [1])),
            path => new ZipStore(path), "U+0000"),
        new("zip with two entry names for one key",
            dir => ZipFixtures.Write(Path.Combine(dir, "abs.zip"), ("fine", Earlier), ("/etc//passwd", [1]), ("%/etc/%/passwd", [2])),
            path => new ZipStore(path), "both hold the key"),
        new("truncated zip",
            dir => Truncated(ZipFixtures.Write(Path.Combine(dir, "cut.zip"), ("a", TestData.Bytes(40_000, 1)), ("b", Earlier))),
            path => new ZipStore(path), ""),
        new("zip path that is a directory",
            dir => Directory.CreateDirectory(Path.Combine(dir, "dir.zip")).FullName,
            path => new ZipStore(path), ""),
        new("SQLite file that is not a database",
            dir => Written(Path.Combine(dir, "text.db"), Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("not a database\n", 500)))),
            path => new SqliteStore(path), "not a SQLite database"),
        new("SQLite file whose objects table has other columns",
            dir => Database(Path.Combine(dir, "schema.db"), "CREATE TABLE objects (id INTEGER PRIMARY KEY, payload BLOB)", "INSERT INTO objects VALUES (1, x'01020304')"),
            path => new SqliteStore(path), "'key' and 'data'", SqlContentOnly: true),
        new("SQLite file whose objects is a view",
            dir => Database(Path.Combine(dir, "view.db"), "CREATE TABLE t (key TEXT, data BLOB)", "INSERT INTO t VALUES ('k', x'01')", "CREATE VIEW objects AS SELECT key, data FROM t"),
            path => new SqliteStore(path), "", SqlContentOnly: true),
        new("SQLite file opened read-only without an objects table",
            dir => Database(Path.Combine(dir, "other.db"), "CREATE TABLE other (x)", "INSERT INTO other VALUES (42)"),
            path => new SqliteStore(path, new SqliteStoreOptions { ReadOnly = true }), "no table 'objects'"),
        new("filesystem root that is a file",
            dir => Written(Path.Combine(dir, "root"), Earlier),
            path => new FilesystemStore(path), "the root is a file"),
        new("hashdir root that is a file",
            dir => Written(Path.Combine(dir, "root"), Earlier),
            path => new HashdirStore(path), "the root is a file"),
        new("SQLite path that is a directory",
            dir => Directory.CreateDirectory(Path.Combine(dir, "dir.db")).FullName,
            path => new SqliteStore(path), ""),
    ];

    /// <summary>The names of every case, for the report in docs/reliability.md.</summary>
    public static TheoryData<string> Names() => [.. Cases.Select(c => c.Name)];

    [Theory, MemberData(nameof(Names))]
    public void A_hostile_file_fails_clearly_naming_it_and_harms_nothing(string name)
    {
        var hostile = Cases.Single(c => c.Name == name);
        // A bystander beside the hostile file: must be untouched too.
        File.WriteAllBytes(_dir.File("bystander.bin"), Earlier);
        var path = hostile.Make(_dir.Path);
        var before = DirectorySnapshot.Take(_dir.Path);
        var content = hostile.SqlContentOnly ? SqlContent(path) : null;

        var ex = Assert.Throws<ObjectStoreException>(() => FirstOperation(hostile.Open, path));

        Assert.Contains(path, ex.Message);
        Assert.Contains(hostile.Says, ex.Message);
        Assert.True(ex.InnerException is not null || hostile.Says.Length > 0, $"no cause and no reason in: {ex.Message}");
        // Every byte as it was: a writable SqliteStore checks the schema before it switches the
        // journal to WAL (it used to switch first, which rewrote header bytes 18-19 of a refused file).
        before.AssertUnchanged($"opening the {name}");
        if (content is not null) Assert.Equal(content, SqlContent(path));
        Assert.True(Directory.Exists(path) || File.Exists(path));
    }

    /// <summary>Stores over a directory tree made read-only (immutable as root), opened over data written before.</summary>
    private static readonly Dictionary<string, Func<string, ObjectStore>> OnReadOnlyDirectory = new()
    {
        ["filesystem"] = dir => new FilesystemStore(Path.Combine(dir, "root")),
        ["hashdir"] = dir => new HashdirStore(Path.Combine(dir, "root")),
        ["sqlite"] = dir => new SqliteStore(Path.Combine(dir, "objects.db")),
        ["zip"] = dir => new ZipStore(Path.Combine(dir, "objects.zip")),
    };

    public static TheoryData<string> ReadOnlyStores() => [.. OnReadOnlyDirectory.Keys];

    [Theory, MemberData(nameof(ReadOnlyStores))]
    public void A_store_in_a_read_only_directory_fails_its_first_write_clearly_and_harms_nothing(string store)
    {
        var open = OnReadOnlyDirectory[store];
        using (var writer = open(_dir.Path))
        {
            writer.Put("kept/one", Earlier);
            writer.Put("kept/two", TestData.Bytes(70_000, 3));
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var before = DirectorySnapshot.Take(_dir.Path);
        Exception? failure = null;
        string how;
        using (var readOnly = ReadOnlyDirectory.Make(_dir.Path))
        {
            how = readOnly.How;
            try
            {
                using var s = open(_dir.Path);
                // Reading is allowed where the medium can read without writing.
                Assert.Equal(Earlier, s.Get("kept/one"));
                s.Put("kept/one", [9, 9, 9]);
                s.Put("new/key", [1]);
                s.Delete("kept/two");
            }
            catch (Exception ex)
            {
                failure = ex;
            }
            before.AssertUnchanged($"{store} in a directory made read-only with {how}");
        }
        var clear = Assert.IsType<ObjectStoreException>(failure);
        Assert.Contains(_dir.Path, clear.Message);
        Assert.NotNull(clear.InnerException);
        Assert.True(clear.Key is null or "kept/one", $"the first write was to kept/one, the exception names {clear.Key}");
        TestContext.Current.TestOutputHelper?.WriteLine($"{store} ({how}): {clear.Message}");
        using var after = open(_dir.Path);
        Assert.Equal(Earlier, after.Get("kept/one"));
        Assert.Equal(TestData.Bytes(70_000, 3), after.Get("kept/two"));
    }

    // Opens the store and runs a first read and a first write; whichever fails first is the answer.
    private static void FirstOperation(Func<string, ObjectStore> open, string path)
    {
        using var store = open(path);
        _ = store.Keys().ToList();
        store.Put("new", [1, 2, 3]);
        store.Dispose();
    }

    // The schema and every row of every table, as text.
    private static string SqlContent(string path)
    {
        var tables = SqliteFiles.Column(path, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
        var text = string.Join("\n", SqliteFiles.Column(path, "SELECT sql FROM sqlite_master ORDER BY name"));
        foreach (var table in tables)
        {
            var columns = SqliteFiles.Column(path, $"SELECT name FROM pragma_table_info('{table}')");
            var row = string.Join(" || ',' || ", columns.Select(c => $"quote(\"{c}\")"));
            text += $"\n{table}: " + string.Join(";", SqliteFiles.Column(path, $"SELECT {row} FROM \"{table}\" ORDER BY rowid"));
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        return text;
    }

    private static string Written(string path, byte[] bytes)
    {
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static string Truncated(string path) => Written(path, File.ReadAllBytes(path)[..(int)(new FileInfo(path).Length * 2 / 3)]);

    private static string Database(string path, params string[] statements)
    {
        using (var connection = SqliteFiles.Open(path))
            foreach (var sql in statements) SqliteFiles.Execute(connection, sql);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        return path;
    }
}
