using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Sync;

/// <summary>
/// StoreSync refuses a source and a target that keep objects in one place, before it changes
/// anything, on real directories, databases and archives; prefixes that keep them apart are allowed.
/// </summary>
public sealed class OverlappingStoresTests : IDisposable
{
    private readonly TempDirectory _dir = new("sync-overlap");

    public void Dispose() => _dir.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // D holds a, b/c and sub/x, sub/y: enough for a sync between D and D/sub to delete or nest something.
    private string MakeTree()
    {
        var root = _dir.File("D");
        foreach (var (key, text) in new[] { ("a", "A"), ("b/c", "C"), ("sub/x", "X"), ("sub/y", "Y") })
        {
            var path = Path.Combine(root, key);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text);
        }
        return root;
    }

    private static string[] Files(string root) =>
        [.. Directory.GetFiles(root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f).Replace('\\', '/')).Order(StringComparer.Ordinal)];

    private static void AssertRefused(ObjectStore source, ObjectStore target, SyncOptions options, bool async)
    {
        var error = async
            ? Assert.ThrowsAsync<OverlappingStoresException>(() => StoreSync.SyncAsync(source, target, options, Ct)).GetAwaiter().GetResult()
            : Assert.Throws<OverlappingStoresException>(() => StoreSync.Sync(source, target, options));
        Assert.Contains(source.ToString()!, error.Message);
        Assert.Contains(target.ToString()!, error.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_directory_into_its_parent_with_delete_is_refused_and_deletes_nothing(bool async)
    {
        var root = MakeTree();
        var before = Files(root);
        using var source = new FilesystemStore(Path.Combine(root, "sub"));
        using var target = new FilesystemStore(root);

        AssertRefused(source, target, new SyncOptions { DeleteExtraneous = true }, async);

        Assert.Equal(before, Files(root));
    }

    [Fact]
    public void A_directory_into_its_own_subdirectory_is_refused_and_nests_nothing()
    {
        var root = MakeTree();
        var before = Files(root);
        using var source = new FilesystemStore(root);
        using var target = new FilesystemStore(Path.Combine(root, "sub"));

        AssertRefused(source, target, new SyncOptions(), async: false);

        Assert.Equal(before, Files(root));
    }

    [Fact]
    public void A_directory_reached_through_a_symbolic_link_is_the_same_directory()
    {
        var root = MakeTree();
        var link = _dir.File("link");
        Directory.CreateSymbolicLink(link, root);
        using var source = new FilesystemStore(Path.Combine(link, "sub"));
        using var target = new FilesystemStore(root);

        AssertRefused(source, target, new SyncOptions { DeleteExtraneous = true }, async: false);

        Assert.Equal(4, Files(root).Length);
    }

    [Fact]
    public void A_hashdir_and_a_filesystem_store_over_one_directory_are_refused_both_ways()
    {
        // A hashdir tree (a plain tree is refused by HashdirStore itself, before any sync), seen also as plain files.
        var root = _dir.File("H");
        using var hashdir = new HashdirStore(root);
        foreach (var key in new[] { "a", "b", "sub/c", "sub/d" }) hashdir.Put(key, [1, 2, 3]);
        using var files = new FilesystemStore(root);
        var before = Files(root);

        AssertRefused(hashdir, files, new SyncOptions { DeleteExtraneous = true }, async: false);
        AssertRefused(files, hashdir, new SyncOptions { DeleteExtraneous = true }, async: false);

        Assert.Equal(before, Files(root));
    }

    [Fact]
    public void Two_stores_over_one_sqlite_file_are_refused()
    {
        var path = _dir.File("one.db");
        using var source = new SqliteStore(path);
        source.Put("k", "v"u8.ToArray());
        using var target = new SqliteStore(path);

        AssertRefused(source, target, new SyncOptions { DeleteExtraneous = true }, async: true);

        Assert.Equal("v"u8.ToArray(), target.Get("k"));
    }

    [Fact]
    public void Two_stores_over_one_zip_file_are_refused()
    {
        var path = _dir.File("one.zip");
        using (var writer = new ZipStore(path)) writer.Put("k", "v"u8.ToArray());
        using var source = new ZipStore(path, new ZipStoreOptions { Mode = ZipStoreMode.Read });
        using var target = new ZipStore(path);

        AssertRefused(source, target, new SyncOptions(), async: false);
    }

    [Fact]
    public void A_sqlite_file_inside_the_target_directory_is_refused()
    {
        var root = MakeTree();
        using var source = new SqliteStore(Path.Combine(root, "objects.db"));
        using var target = new FilesystemStore(root);

        AssertRefused(source, target, new SyncOptions { DeleteExtraneous = true }, async: false);

        Assert.True(File.Exists(Path.Combine(root, "objects.db")));
    }

    [Fact]
    public void Prefix_stores_that_keep_one_directory_apart_sync()
    {
        var root = MakeTree();
        using var store = new FilesystemStore(root);
        using var source = new PrefixStore(store, "sub", leaveOpen: true);
        using var target = new PrefixStore(store, "copy", leaveOpen: true);

        var report = StoreSync.Sync(source, target);

        Assert.Equal(2, report.Copied);
        Assert.Equal(["a", "b/c", "copy/x", "copy/y", "sub/x", "sub/y"], Files(root));
    }

    [Fact]
    public void A_prefix_store_over_the_source_itself_is_refused()
    {
        var root = MakeTree();
        using var store = new FilesystemStore(root);
        using var target = new PrefixStore(store, "sub", leaveOpen: true);

        AssertRefused(store, target, new SyncOptions(), async: false);
    }

    [Fact]
    public void A_sync_prefix_that_keeps_nested_directories_apart_runs()
    {
        var root = MakeTree();
        using var source = new FilesystemStore(Path.Combine(root, "sub"));
        using var target = new FilesystemStore(root);

        // The source's keys under "x" live in D/sub/x; the target's in D/x: no file is both.
        var report = StoreSync.Sync(source, target, new SyncOptions { Prefix = "x", DeleteExtraneous = true });

        Assert.Equal(1, report.Copied);
        Assert.Equal(["a", "b/c", "sub/x", "sub/y", "x"], Files(root));
    }

    [Fact]
    public void A_composite_overlaps_through_any_of_its_children()
    {
        var root = MakeTree();
        using var source = new FilesystemStore(Path.Combine(root, "sub"));
        using var target = new FanoutStore([new DictStore(), new FilesystemStore(root)]);

        AssertRefused(source, target, new SyncOptions { DeleteExtraneous = true }, async: false);

        Assert.Equal(4, Files(root).Length);
    }

    [Fact]
    public async Task S3_prefixes_one_inside_the_other_on_one_bucket_are_refused()
    {
        using var client = S3TestServer.S3rver.CreateClient();
        var run = S3TestServer.NewPrefix("overlap");
        await using var outer = new BucketStore(client, S3TestServer.Bucket, run);
        await outer.PutAsync("sub/x", "X"u8.ToArray(), Ct);
        await outer.PutAsync("a", "A"u8.ToArray(), Ct);
        await using var inner = new BucketStore(client, S3TestServer.Bucket, run + "/sub");
        await using var apart = new BucketStore(client, S3TestServer.Bucket, run + "/apart");

        AssertRefused(inner, outer, new SyncOptions { DeleteExtraneous = true }, async: true);
        var report = await StoreSync.SyncAsync(inner, apart, new SyncOptions(), Ct);

        Assert.Equal(["a", "apart/x", "sub/x"], await outer.KeysAsync("", Ct).ToListAsync(Ct));
        Assert.Equal(1, report.Copied);
    }

    [Theory]
    [InlineData("t/sub/", "t/", "", true)]
    [InlineData("t/", "t/sub/", "", true)]
    [InlineData("t/a/", "t/b/", "", false)]
    [InlineData("t/", "t/sub/", "x", false)]
    [InlineData("t/", "t/sub/", "sub/", true)]
    [InlineData("t/", "t2/", "", false)]
    public void Locations_in_one_bucket_overlap_as_their_key_prefixes_do(string a, string b, string syncPrefix, bool overlap)
    {
        var left = new StoreLocation("s3 http://127.0.0.1:9100 bucket", "", StoreLocation.TreeLayout, a);
        var right = new StoreLocation("s3 http://127.0.0.1:9100 bucket", "", StoreLocation.TreeLayout, b);

        Assert.Equal(overlap, left.Overlaps(right, syncPrefix));
        Assert.Equal(overlap, right.Overlaps(left, syncPrefix));
        Assert.False(left.Overlaps(right with { Medium = "s3 http://127.0.0.1:9100 other" }, syncPrefix));
    }
}
