using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Sqlite;

/// <summary>Closing the last connection of a store leaves no large <c>-wal</c> file beside the database.</summary>
public sealed class SqliteWalTests : IDisposable
{
    private readonly TempDirectory _dir = new("sqlite-wal");

    public void Dispose() => _dir.Dispose();

    private static long WalBytes(string db) => File.Exists(db + "-wal") ? new FileInfo(db + "-wal").Length : 0;

    [Fact]
    public void A_50_MiB_put_then_dispose_leaves_no_big_wal_file()
    {
        var db = _dir.File("big.db");
        var data = TestData.Bytes(50 << 20, seed: 1);

        using (var store = new SqliteStore(db))
        {
            store.Put("big", new MemoryStream(data));
            Assert.True(store.Stat("big")!.Size == data.Length);
        }

        Assert.True(WalBytes(db) < 1 << 20, $"the -wal file is {WalBytes(db)} bytes after dispose");
        using var reopened = new SqliteStore(db, new SqliteStoreOptions { ReadOnly = true });
        Assert.Equal(data, reopened.Get("big"));
    }

    [Fact]
    public void A_store_that_read_after_writing_still_truncates_the_wal_on_dispose()
    {
        var db = _dir.File("read.db");

        using (var store = new SqliteStore(db))
        {
            store.Put("k", new MemoryStream(TestData.Bytes(8 << 20, seed: 2)));
            // Leases a reader connection, which used to be the last to close and cannot checkpoint.
            using (var stream = store.OpenRead("k")) stream.ReadByte();
            Assert.Equal(8 << 20, store.Get("k").Length);
        }

        Assert.True(WalBytes(db) < 1 << 20, $"the -wal file is {WalBytes(db)} bytes after dispose");
    }
}
