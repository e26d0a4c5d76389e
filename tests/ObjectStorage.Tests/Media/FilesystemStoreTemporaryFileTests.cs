using ObjectStorage.Tests.Conformance;
using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Media;

/// <summary>The fallback every Linux store takes where the file system refuses O_TMPFILE: named temporary files, renamed.</summary>
public sealed class FilesystemStoreNamedTemporaryFilesConformance : StoreConformance
{
    protected override ObjectStore CreateStore() =>
        TemporaryFileSwitch.Open(unnamed: false, () => new FilesystemStore(NewTempDirectory("fs-named")));

    protected override bool KeysMayNestUnderKeys => false;
}

/// <summary>
/// How a put makes its temporary file: on Linux an unnamed one (O_TMPFILE) that linkat(2) names when
/// it is whole, elsewhere (and when switched off) a named one renamed over the target. Both leave
/// nothing behind, and the put is atomic either way.
/// </summary>
public sealed class FilesystemStoreTemporaryFileTests : IDisposable
{
    private readonly TempDirectory _root = new("fs-temp");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _root.Dispose();

    private FilesystemStore Open(bool unnamed) => TemporaryFileSwitch.Open(unnamed, () => new FilesystemStore(_root.Path));

    private List<string> FilesOnDisk() =>
        Directory.EnumerateFiles(_root.Path, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Select(p => Path.GetRelativePath(_root.Path, p)).Order(StringComparer.Ordinal).ToList();

    // The names in the object's directory while a streamed put of 300 KB waits after 100 KB.
    private async Task<List<string>> NamesWhilePutting(FilesystemStore store, string key)
    {
        var stream = new GatedStream(TestData.Bytes(300_000), gateAt: 100_000);
        var put = Task.Run(() => store.Put(key, stream), Ct);
        await stream.Reached.WaitAsync(Ct);
        var names = FilesOnDisk();
        stream.Release();
        await put;
        return names;
    }

    [Fact]
    public async Task On_Linux_a_new_key_has_no_name_while_written_and_an_overwrite_a_named_temporary_file()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "unnamed temporary files (O_TMPFILE) are Linux's");
        using var store = Open(unnamed: true);
        store.Put("dir/old", [1]);
        Assert.Equal(["dir/old"], await NamesWhilePutting(store, "dir/new"));
        var whileOverwriting = await NamesWhilePutting(store, "dir/old");
        Assert.Equal(3, whileOverwriting.Count);
        Assert.StartsWith("dir/" + KeyPathMapping.TemporaryPrefix, whileOverwriting[0], StringComparison.Ordinal);
        Assert.Equal(["dir/new", "dir/old"], whileOverwriting[1..]);
        Assert.Equal(TestData.Bytes(300_000), store.Get("dir/old"));
        Assert.Equal(["dir/new", "dir/old"], FilesOnDisk());
    }

    [Fact]
    public async Task Switched_off_a_put_writes_a_named_temporary_file_and_renames_it()
    {
        using var store = Open(unnamed: false);
        var names = await NamesWhilePutting(store, "dir/new");
        Assert.Single(names);
        Assert.StartsWith("dir/" + KeyPathMapping.TemporaryPrefix, names[0], StringComparison.Ordinal);
        Assert.Equal(["dir/new"], FilesOnDisk());
        Assert.Equal(TestData.Bytes(300_000), store.Get("dir/new"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_put_of_a_new_key_and_an_overwrite_leave_only_the_objects(bool unnamed)
    {
        using var store = Open(unnamed);
        store.Put("a", [1]);
        store.Put("deep/er/b", [2]);
        store.Put("a", [3, 3]);
        store.Put("deep/er/b", [4, 4]);
        Assert.Equal(["a", "deep/er/b"], FilesOnDisk());
        Assert.Equal([3, 3], store.Get("a"));
        Assert.Equal([4, 4], store.Get("deep/er/b"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_put_whose_source_breaks_leaves_neither_a_file_nor_a_name(bool unnamed)
    {
        using var store = Open(unnamed);
        store.Put("kept", [1, 2, 3]);
        Assert.Throws<IOException>(() => store.Put("new", new FailingStream(new PatternStream(1 << 20), failAfter: 200_000)));
        Assert.Throws<IOException>(() => store.Put("kept", new FailingStream(new PatternStream(1 << 20), failAfter: 200_000)));
        await Assert.ThrowsAsync<IOException>(() => store.PutAsync("new", new FailingStream(new PatternStream(1 << 20), failAfter: 200_000), Ct).AsTask());
        Assert.Equal(["kept"], FilesOnDisk());
        Assert.Equal([1, 2, 3], store.Get("kept"));
        Assert.False(store.Exists("new"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_delete_that_removes_the_directory_of_a_put_in_progress_does_not_lose_the_put(bool unnamed)
    {
        // An unnamed file keeps no name in its directory, so a delete of the directory's last object removes it meanwhile.
        using var store = Open(unnamed);
        store.Put("dir/other", [1]);
        var stream = new GatedStream(TestData.Bytes(300_000), gateAt: 100_000);
        var put = Task.Run(() => store.Put("dir/new", stream), Ct);
        await stream.Reached.WaitAsync(Ct);
        store.Delete("dir/other");
        stream.Release();
        await put;
        Assert.Equal(["dir/new"], FilesOnDisk());
        Assert.Equal(TestData.Bytes(300_000), store.Get("dir/new"));
    }

    [Fact]
    public void A_put_over_a_directory_is_refused_by_key_and_leaves_nothing()
    {
        using var store = Open(unnamed: true);
        store.Put("a/b", [1]);
        var error = Assert.Throws<InvalidKeyException>(() => store.Put("a", [2]));
        Assert.Equal("a", error.Key);
        Assert.Equal(["a/b"], FilesOnDisk());
    }
}
