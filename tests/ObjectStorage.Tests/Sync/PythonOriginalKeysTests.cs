using System.Text;
using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Sync;

/// <summary>
/// Stores the Python original wrote, built here with plain python3 (its sqlite3 and hashlib, not
/// our code), holding the keys its users have: URLs, repository PIDs with spaces and colons, and
/// Windows paths. They are read by key, listed, and synced to every other medium and back, byte-exact.
/// </summary>
public sealed class PythonOriginalKeysTests : IDisposable
{
    private static readonly string[] Keys =
    [
        "http://example.org/img/1.png", "https://example.org/a/b?c=d&e=f#g", "s3://bucket//double/slash",
        "info:fedora/demo:1 with space", "pid:demo:2/DS1", "C:\\Users\\me\\report.docx", "back\\slash.txt",
        "trail/", "/lead", "a/../b", "nl\nkey",
    ];

    private readonly TempDirectory _dir = new("python-original");
    private readonly List<IDisposable> _cleanup = [];

    public void Dispose()
    {
        foreach (var item in _cleanup) item.Dispose();
        _dir.Dispose();
    }

    // The key's UTF-8 and the content, one pair per line, in hex: nothing in a key can break the script's input.
    private static string[] Arguments(string target) =>
        [target, .. Keys.Select((key, i) => $"{Convert.ToHexString(Encoding.UTF8.GetBytes(key))}:{Convert.ToHexString(Content(i))}")];

    private static byte[] Content(int index) => Encoding.UTF8.GetBytes($"object {index} from Python");

    [Fact]
    public async Task A_SQLite_file_written_by_Python_lists_reads_and_syncs_every_key_to_every_medium_and_back()
    {
        var db = _dir.File("python.db");
        await SqliteFiles.RunPythonAsync("""
            import sqlite3, sys
            con = sqlite3.connect(sys.argv[1])
            con.execute("CREATE TABLE IF NOT EXISTS objects (key TEXT PRIMARY KEY, data BLOB)")
            for pair in sys.argv[2:]:
                key, data = (bytes.fromhex(h) for h in pair.split(":"))
                con.execute("INSERT OR REPLACE INTO objects (key, data) VALUES (?, ?)", (key.decode("utf-8"), data))
            con.commit()
            """, Arguments(db));
        using var python = new SqliteStore(db);
        Assert.Equal(Keys.Order(KeyComparer.Utf8), python.Keys());
        for (int i = 0; i < Keys.Length; i++) Assert.Equal(Content(i), python.Get(Keys[i]));

        foreach (var medium in new[] { "memory", "filesystem", "zip", "s3" })
        {
            var other = SyncMedia.Create(medium, _cleanup);
            List<string> keys;
            if (medium == "s3")
            {
                // Key by key: a stand-in server must not even be sent what it would mangle.
                keys = [.. Keys.Where(k => S3TestServer.S3rver.CannotHold(k) is null)];
                foreach (var key in keys) other.Put(key, python.Get(key));
            }
            else
            {
                keys = [.. Keys];
                var there = StoreSync.Sync(python, other);
                Assert.True(there.Succeeded, string.Join("; ", there.Failures.Select(f => f.Error.Message)));
                Assert.Equal(Keys.Length, there.Copied);
            }
            Assert.Equal(keys.Order(KeyComparer.Utf8), other.Keys());
            foreach (var key in keys) Assert.Equal(python.Get(key), other.Get(key));

            // And back into a fresh file, which the Python original reads row for row.
            var back = _dir.File($"back-from-{medium}.db");
            using (var copy = new SqliteStore(back)) Assert.True(StoreSync.Sync(other, copy).Succeeded);
            var rows = await SqliteFiles.RunPythonAsync("""
                import sqlite3, sys
                for key, data in sqlite3.connect(sys.argv[1]).execute("SELECT key, data FROM objects ORDER BY key"):
                    print(key.encode("utf-8").hex() + ":" + bytes(data).hex())
                """, back);
            var expected = keys.Order(KeyComparer.Utf8).Select(k => $"{Convert.ToHexString(Encoding.UTF8.GetBytes(k))}:{Convert.ToHexString(Content(Array.IndexOf(Keys, k)))}".ToLowerInvariant());
            Assert.Equal(expected, rows.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
    }

    [Fact]
    public async Task A_hashdir_written_by_Python_reads_every_key_byte_exact_and_copies_by_key()
    {
        var root = _dir.File("python-hashdir");
        await SqliteFiles.RunPythonAsync("""
            import hashlib, os, sys
            root = sys.argv[1]
            for pair in sys.argv[2:]:
                key, data = (bytes.fromhex(h) for h in pair.split(":"))
                digest = hashlib.sha256(key).hexdigest()
                folder = os.path.join(root, digest[0:2], digest[2:4], digest[4:6])
                os.makedirs(folder, exist_ok=True)
                with open(os.path.join(folder, digest[6:]), "wb") as f:
                    f.write(data)
            """, Arguments(root));
        using var python = new HashdirStore(root);
        using var files = new FilesystemStore(_dir.File("copied"));
        for (int i = 0; i < Keys.Length; i++)
        {
            Assert.Equal(Content(i), python.Get(Keys[i]));
            files.Put(Keys[i], python.Get(Keys[i]));
        }
        Assert.Equal(Keys.Order(KeyComparer.Utf8), files.Keys());
        // Written back by this store, the objects sit where Python's hashing puts them.
        using var ours = new HashdirStore(_dir.File("ours"));
        Assert.True(StoreSync.Sync(files, ours).Succeeded);
        for (int i = 0; i < Keys.Length; i++)
            Assert.Equal(File.ReadAllBytes(python.PathOf(Keys[i])), File.ReadAllBytes(ours.PathOf(Keys[i])));
    }
}
