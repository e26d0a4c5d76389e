using Microsoft.Data.Sqlite;
using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Reliability;

/// <summary>
/// A SQLite file whose write lock another process holds past the store's busy timeout: writes fail
/// with a clear <see cref="ObjectStoreException"/> naming the key and the lock, reads go on (WAL),
/// and once the other process lets go (or dies) the file is sound and every earlier object intact.
/// </summary>
public sealed class SqliteLockTests : IDisposable
{
    private static readonly TimeSpan BusyTimeout = TimeSpan.FromMilliseconds(500);

    private readonly TempDirectory _dir = new("sqlite-lock");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string DbPath => _dir.File("locked.db");

    public void Dispose() => _dir.Dispose();

    [Theory, InlineData("released"), InlineData("killed")]
    public async Task Writes_past_the_busy_timeout_fail_clearly_and_nothing_is_corrupted(string end)
    {
        using var store = new SqliteStore(DbPath, new SqliteStoreOptions { BusyTimeout = BusyTimeout });
        var earlier = Enumerable.Range(0, 20).ToDictionary(i => $"earlier/{i:D2}", i => TestData.Bytes(i * 3000, seed: i));
        foreach (var (key, data) in earlier) store.Put(key, data);

        var release = _dir.File("release");
        using var holder = ChildProcess.Start("sqlite-hold-write-lock", DbPath, "child/uncommitted", release);
        try
        {
            Assert.Equal("locked", await holder.StandardOutput.ReadLineAsync(Ct));

            var sync = Assert.Throws<ObjectStoreException>(() => store.Put("new/sync", [1, 2, 3]));
            var async = await Assert.ThrowsAsync<ObjectStoreException>(async () => await store.PutAsync("new/async", new byte[] { 4 }, Ct));
            var delete = Assert.Throws<ObjectStoreException>(() => store.Delete("earlier/00"));
            foreach (var (ex, key) in new[] { (sync, "new/sync"), (async, "new/async"), (delete, "earlier/00") })
            {
                Assert.Equal(key, ex.Key);
                Assert.Contains("locked by another connection past the busy timeout", ex.Message);
                Assert.Contains(DbPath, ex.Message);
                Assert.Equal(SQLitePCL.raw.SQLITE_BUSY, Assert.IsType<SqliteException>(ex.InnerException).SqliteErrorCode);
            }
            // Readers are not blocked by a writer in WAL mode, and do not see its uncommitted row.
            Assert.Equal(earlier.Keys.Order(KeyComparer.Utf8), store.Keys().ToList());
            Assert.Equal(earlier["earlier/05"], store.Get("earlier/05"));
            Assert.False(store.Exists("child/uncommitted"));

            if (end == "released") File.WriteAllText(release, "");
            else holder.Kill(entireProcessTree: true);
            await holder.WaitForExitAsync(Ct);
        }
        finally
        {
            if (!holder.HasExited) holder.Kill(entireProcessTree: true);
        }

        store.Put("new/sync", [1, 2, 3]);
        await store.PutAsync("new/async", new byte[] { 4 }, Ct);
        Assert.Equal([1, 2, 3], store.Get("new/sync"));
        Assert.False(store.Exists("child/uncommitted"));
        foreach (var (key, data) in earlier) Assert.Equal(data, store.Get(key));
        store.Dispose();

        Assert.Equal("ok", SqliteFiles.Scalar(DbPath, "PRAGMA integrity_check"));
        Assert.Equal(22L, SqliteFiles.Scalar(DbPath, "SELECT count(*) FROM objects"));
        foreach (var (key, data) in earlier) Assert.Equal(data, SqliteFiles.Get(DbPath, key));
    }
}
