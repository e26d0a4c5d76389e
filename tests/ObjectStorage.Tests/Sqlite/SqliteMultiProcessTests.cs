using ObjectStorage.TestChild;
using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Sqlite;

/// <summary>One database file used by this process and a child process at once.</summary>
public sealed class SqliteMultiProcessTests : IDisposable
{
    private readonly TempDirectory _dir = new("sqlite-mp");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string DbPath => _dir.File("shared.db");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Two_processes_write_one_file_at_once_and_every_write_lands_while_a_reader_holds_a_snapshot()
    {
        const int count = 300;
        using var store = new SqliteStore(DbPath, new SqliteStoreOptions { BusyTimeout = TimeSpan.FromSeconds(20) });
        var held = TestData.Bytes(2 << 20, seed: 9);
        store.Put("held", held);
        // An open read stream keeps a read transaction for the whole test: in WAL it must not stop either writer.
        await using var reader = store.OpenRead("held");
        var firstHalf = new byte[1 << 20];
        reader.ReadExactly(firstHalf);

        using var child = ChildProcess.Start("sqlite-writer", DbPath, "child", count.ToString(System.Globalization.CultureInfo.InvariantCulture), "20");
        var childError = child.StandardError.ReadToEndAsync(Ct);
        Assert.Equal("ready", await child.StandardOutput.ReadLineAsync(Ct));

        int listedMax = 0;
        for (int i = 0; i < count; i++)
        {
            var key = $"parent/{i:D4}";
            if (i % 10 == 0) await store.PutManyAsync([new(key, SqliteWriterMode.Content(key))], Ct);
            else await store.PutAsync(key, SqliteWriterMode.Content(key), Ct);
            Assert.Equal(SqliteWriterMode.Content(key), await store.GetAsync(key, Ct));
            if (i % 50 == 0) listedMax = Math.Max(listedMax, store.Keys("child/").Count());
        }
        var rest = await child.StandardOutput.ReadToEndAsync(Ct);
        await child.WaitForExitAsync(Ct);
        Assert.True(child.ExitCode == 0, $"child failed ({child.ExitCode}): {await childError}");
        Assert.Contains("done", rest);

        var keys = store.Keys().ToList();
        Assert.Equal(2 * count + 1, keys.Count);
        foreach (var key in keys.Where(k => k != "held"))
            Assert.Equal(SqliteWriterMode.Content(key), store.Get(key));
        var secondHalf = new byte[held.Length - firstHalf.Length];
        reader.ReadExactly(secondHalf);
        Assert.Equal(held, firstHalf.Concat(secondHalf).ToArray());
        Assert.Equal(0, reader.Read(new byte[1]));
    }

    [Fact]
    public async Task A_writer_killed_mid_put_leaves_the_previous_version_and_a_sound_file()
    {
        using var store = new SqliteStore(DbPath);
        store.Put("big", [1, 2, 3]);
        using var child = ChildProcess.Start("sqlite-slow-put", DbPath, "big");
        var line = await child.StandardOutput.ReadLineAsync(Ct);
        if (line != "writing") Assert.Fail($"child said {line}: {await child.StandardError.ReadToEndAsync(Ct)}");
        child.Kill(entireProcessTree: true);
        await child.WaitForExitAsync(Ct);

        Assert.Equal([1, 2, 3], store.Get("big"));
        Assert.Equal(3, store.Stat("big")!.Size);
        Assert.Equal("ok", SqliteFiles.Scalar(DbPath, "PRAGMA integrity_check"));
        store.Put("big", [4]);
        Assert.Equal([4], store.Get("big"));
        using var reopened = new SqliteStore(DbPath);
        Assert.Equal([4], reopened.Get("big"));
    }
}
