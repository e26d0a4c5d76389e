using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Media;

/// <summary>
/// A zip session that does not finish leaves the previous archive, or none, and no file of its
/// own: nothing is written before a flush, spool files have no name on disk, a cancelled flush
/// removes its half-built archive, and <see cref="ZipStore.Discard"/> drops the session.
/// </summary>
public sealed class ZipInterruptedWriteTests : IDisposable
{
    private readonly TempDirectory _dir = new("zip-interrupted");

    public void Dispose() => _dir.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string[] FilesBeside() => [.. Directory.GetFiles(_dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];

    private string ExistingArchive()
    {
        var path = _dir.File("a.zip");
        using (var store = new ZipStore(path)) store.Put("old", "old bytes"u8.ToArray());
        return path;
    }

    [Fact]
    public void Create_mode_leaves_the_previous_archive_untouched_until_the_first_flush()
    {
        var path = ExistingArchive();
        var before = File.ReadAllBytes(path);

        using var store = new ZipStore(path, new ZipStoreOptions { Mode = ZipStoreMode.Create });
        store.Put("new", "new bytes"u8.ToArray());

        Assert.Equal(before, File.ReadAllBytes(path));
        store.Flush();
        Assert.Equal(["new"], ZipFixtures.Read(path).Keys);
    }

    [Fact]
    public void Update_mode_over_a_missing_file_writes_no_archive_until_the_first_flush()
    {
        var path = _dir.File("new.zip");

        using var store = new ZipStore(path);
        store.Put("k", "v"u8.ToArray());

        Assert.False(File.Exists(path));
        store.Flush();
        Assert.Equal(["k"], ZipFixtures.Read(path).Keys);
    }

    [Fact]
    public void Spooled_writes_have_no_file_name_on_disk_so_a_killed_process_leaves_none()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Windows deletes the spool when its handle closes, also at a crash");
        var path = ExistingArchive();

        using var store = new ZipStore(path);
        store.Put("small", TestData.Bytes(1000, seed: 1));
        store.Put("large", new MemoryStream(TestData.Bytes(3 << 20, seed: 2)));

        Assert.Equal(["a.zip"], FilesBeside());
        Assert.Equal(TestData.Bytes(3 << 20, seed: 2), store.Get("large"));
    }

    [Fact]
    public void Discard_keeps_the_previous_archive_and_leaves_no_file_behind()
    {
        var path = ExistingArchive();
        var before = File.ReadAllBytes(path);

        var store = new ZipStore(path, new ZipStoreOptions { Mode = ZipStoreMode.Create });
        store.Put("new", new MemoryStream(TestData.Bytes(2 << 20, seed: 3)));
        store.Discard();

        Assert.True(store.IsDisposed);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(["a.zip"], FilesBeside());
    }

    [Fact]
    public async Task A_cancelled_flush_removes_its_half_built_archive_and_keeps_the_old_one()
    {
        var path = ExistingArchive();
        var before = File.ReadAllBytes(path);
        using var store = new ZipStore(path);
        for (int i = 0; i < 40; i++) store.Put($"k{i:D2}", new MemoryStream(TestData.Bytes(1 << 20, seed: i)));
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        // Cancelled once the half-built archive shows up beside the old one.
        var watcher = Task.Run(async () =>
        {
            while (!Directory.GetFiles(_dir.Path, "*.zipstore-tmp").Any()) await Task.Delay(1, Ct);
            await cancel.CancelAsync();
        }, Ct);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.FlushAsync(cancel.Token));
        await watcher;

        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(["a.zip"], FilesBeside());
        Assert.Equal(TestData.Bytes(1 << 20, seed: 7), store.Get("k07"));
    }
}
