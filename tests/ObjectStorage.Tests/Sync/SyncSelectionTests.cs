using ObjectStorage.Tests.Conformance;
using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Sync;

/// <summary>What a sync may touch: <see cref="SyncOptions.MaxDelete"/> and <see cref="SyncOptions.Filter"/>, on real media.</summary>
public sealed class SyncSelectionTests : IDisposable
{
    private readonly List<IDisposable> _cleanup = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        foreach (var item in _cleanup) item.Dispose();
    }

    private ObjectStore New(string medium) => SyncMedia.Create(medium, _cleanup);

    private static Task<SyncReport> Run(Api api, ObjectStore source, ObjectStore target, SyncOptions options) =>
        api == Api.Sync ? Task.FromResult(StoreSync.Sync(source, target, options)) : StoreSync.SyncAsync(source, target, options, Ct);

    private static void Fill(ObjectStore store, params string[] keys)
    {
        foreach (var key in keys) store.Put(key, TestData.Bytes(10 + key.Length, key.Length));
    }

    [Theory]
    [InlineData(Api.Sync)]
    [InlineData(Api.Async)]
    public async Task Sync_that_would_delete_more_than_MaxDelete_is_refused_before_anything_changes(Api api)
    {
        var source = New("memory");
        var target = New("filesystem");
        Fill(source, "new");
        Fill(target, "a", "b", "c");

        var error = await Assert.ThrowsAsync<TooManyDeletesException>(() =>
            Run(api, source, target, new SyncOptions { DeleteExtraneous = true, MaxDelete = 2 }));

        Assert.Equal(3, error.Deletes);
        Assert.Equal(2, error.Limit);
        Assert.Contains("delete 3 objects", error.Message);
        Assert.Contains("limit of 2", error.Message);
        Assert.Contains("FilesystemStore", error.Message);
        Assert.Equal(["a", "b", "c"], target.Keys().ToList());
    }

    [Theory]
    [InlineData(Api.Sync)]
    [InlineData(Api.Async)]
    public async Task Sync_within_MaxDelete_deletes_and_copies(Api api)
    {
        var source = New("memory");
        var target = New("sqlite");
        Fill(source, "keep");
        Fill(target, "keep", "x", "y");

        var report = await Run(api, source, target, new SyncOptions { DeleteExtraneous = true, MaxDelete = 2 });

        Assert.True(report.Succeeded);
        Assert.Equal(2, report.Deleted);
        Assert.Equal(["keep"], target.Keys().ToList());
    }

    [Fact]
    public async Task Dry_run_over_MaxDelete_reports_the_excess_and_fails()
    {
        var source = New("memory");
        var target = New("filesystem");
        Fill(target, "a", "b", "c");

        var report = await StoreSync.SyncAsync(source, target, new SyncOptions { DeleteExtraneous = true, MaxDelete = 1, DryRun = true }, Ct);

        Assert.Equal(3, report.Deleted);
        Assert.True(report.ExceedsMaxDelete);
        Assert.False(report.Succeeded);
        Assert.Equal(3, target.Keys().Count());
    }

    [Theory]
    [InlineData(Api.Sync)]
    [InlineData(Api.Async)]
    public async Task Excluded_keys_are_neither_copied_nor_deleted(Api api)
    {
        var source = New("filesystem");
        var target = New("sqlite");
        Fill(source, "docs/a.md", "docs/b.tmp", "src/c.cs");
        Fill(target, "docs/old.tmp", "docs/old.md", "src/gone.cs");

        var report = await Run(api, source, target, new SyncOptions
        {
            DeleteExtraneous = true,
            Filter = new ObjectFilter { Keys = new KeyFilter([new(false, "*.tmp"), new(true, "/docs/**"), new(false, "**")]) },
        });

        Assert.True(report.Succeeded);
        Assert.Equal(1, report.Copied);
        Assert.Equal(1, report.Deleted);
        Assert.Equal(["docs/a.md", "docs/old.tmp", "src/gone.cs"], target.Keys().ToList());
    }

    [Theory]
    [InlineData(Api.Sync)]
    [InlineData(Api.Async)]
    public async Task Size_bounds_select_by_the_source_and_never_delete_a_target_object_of_excluded_size(Api api)
    {
        var source = New("memory");
        var target = New("filesystem");
        source.Put("small", new byte[10]);
        source.Put("big", new byte[1000]);
        source.Put("grown", new byte[50]);
        target.Put("grown", new byte[5000]);
        target.Put("huge-extra", new byte[5000]);
        target.Put("tiny-extra", new byte[1]);

        var report = await Run(api, source, target, new SyncOptions { DeleteExtraneous = true, Filter = new ObjectFilter { MaxSize = 100 } });

        Assert.True(report.Succeeded);
        Assert.Equal(["grown", "huge-extra", "small"], target.Keys().ToList());
        Assert.Equal(50, target.Stat("grown")!.Size);
        Assert.Equal(1, report.Deleted);
    }

    [Theory]
    [InlineData(Api.Sync)]
    [InlineData(Api.Async)]
    public async Task Age_bounds_select_by_modification_time(Api api)
    {
        var dir = new TempDirectory("sync-age");
        _cleanup.Add(dir);
        var source = new FilesystemStore(dir.File("src"));
        _cleanup.Insert(0, source);
        var target = New("memory");
        Fill(source, "old", "new");
        File.SetLastWriteTimeUtc(dir.File("src/old"), DateTime.UtcNow.AddDays(-10));

        var young = await Run(api, source, target, new SyncOptions { Filter = new ObjectFilter { MaxAge = TimeSpan.FromDays(1) } });
        Assert.Equal(["new"], target.Keys().ToList());
        var old = await Run(api, source, target, new SyncOptions { Filter = new ObjectFilter { MinAge = TimeSpan.FromDays(1) } });

        Assert.Equal(1, young.Copied);
        Assert.Equal(1, old.Copied);
        Assert.Equal(["new", "old"], target.Keys().ToList());
    }
}
