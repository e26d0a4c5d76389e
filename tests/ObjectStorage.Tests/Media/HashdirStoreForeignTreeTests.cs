using System.Text;
using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Media;

/// <summary>
/// HashdirStore over trees it did not write, or not as it was told: linked fan-out directories,
/// special files in the place of objects, a tree of another width or depth, plain files, and a
/// listing racing puts and deletes of one key.
/// </summary>
public sealed class HashdirStoreForeignTreeTests : IDisposable
{
    // sha256("hello") split 2/2/2/58, as the Python original lays it out.
    private const string HelloPath = "2c/f2/4d/ba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";

    private readonly TempDirectory _root = new("hashdir-foreign");
    private readonly TempDirectory _outside = new("hashdir-outside");
    private readonly List<SkippedEntry> _skipped = [];

    public void Dispose()
    {
        _root.Dispose();
        _outside.Dispose();
    }

    // The one fixture helper: a store over the root, with its skipped entries collected.
    private HashdirStore Store(int width = 2, int depth = 3)
    {
        var store = new HashdirStore(_root.Path, width, depth);
        store.EntrySkipped += (_, entry) => _skipped.Add(entry);
        return store;
    }

    private string InRoot(string relative) => Path.Join(_root.Path, relative);

    [Fact]
    public void A_linked_fan_out_directory_is_not_followed_by_any_operation_and_is_reported_by_listings()
    {
        // A hashdir tree outside the root holding "hello", and the root's 2c/ leading there.
        using (var elsewhere = new HashdirStore(_outside.Path)) elsewhere.Put("hello", Encoding.UTF8.GetBytes("outside"));
        using (var seed = Store()) seed.Put("kept", [1]);
        SpecialFiles.Link(InRoot("2c"), Path.Join(_outside.Path, "2c"));
        var before = DirectorySnapshot.Take(_outside.Path);
        using var store = Store();
        Assert.Contains("symbolic link", Assert.Throws<ObjectStoreException>(() => store.Get("hello")).Message);
        Assert.Throws<ObjectStoreException>(() => store.Exists("hello"));
        Assert.Throws<ObjectStoreException>(() => store.Put("hello", [2]));
        Assert.Throws<ObjectStoreException>(() => store.Delete("hello"));
        Assert.Equal(["kept"], store.Keys().ToList());
        Assert.Equal(InRoot("2c"), Assert.Single(_skipped).Entry);
        before.AssertUnchanged("operations on a key under a linked fan-out directory");
    }

    [Fact]
    public void An_object_file_that_is_a_FIFO_or_a_link_is_not_listed_and_is_not_read()
    {
        using var store = Store();
        store.Put("hello", [1]);
        store.Put("world", [2]);
        File.Delete(InRoot(HelloPath));
        SpecialFiles.Fifo(InRoot(HelloPath));
        var world = store.PathOf("world");
        File.Move(world, world + "-moved");
        var secret = Path.Join(_outside.Path, "secret");
        File.WriteAllText(secret, "outside the root");
        SpecialFiles.Link(world, secret);
        Assert.Empty(store.Keys());
        Assert.Equal(2, _skipped.Count);
        Assert.Contains(_skipped, s => s.Entry == InRoot(HelloPath) && s.Reason.Contains("FIFO", StringComparison.Ordinal));
        Assert.Contains(_skipped, s => s.Entry == world && s.Reason.Contains("symbolic link", StringComparison.Ordinal));
        var error = SpecialFiles.WithinSeconds(10, () => store.Get("hello"), InRoot(HelloPath));
        Assert.Contains("not a regular file", Assert.IsType<ObjectStoreException>(error).Message);
        Assert.Throws<ObjectStoreException>(() => store.Get("world"));
    }

    [Fact]
    public void A_store_of_another_width_over_a_tree_fails_at_construction_naming_the_layout_it_sees()
    {
        using (var written = Store()) written.Put("hello", [1]);
        var before = DirectorySnapshot.Take(_root.Path);
        var ex = Assert.Throws<ObjectStoreException>(() => Store(width: 3));
        Assert.Contains("width 3 and depth 3", ex.Message);
        Assert.Contains("width 2 and depth 3", ex.Message);
        Assert.Contains("depth 2", Assert.Throws<ObjectStoreException>(() => Store(depth: 2)).Message);
        Assert.Throws<ObjectStoreException>(() => Store(depth: 4));
        Assert.Throws<ObjectStoreException>(() => Store(width: 1, depth: 6));
        Assert.Throws<ObjectStoreException>(() => StoreUrl.Open($"hashdir://{_root.Path}?width=3", StoreAccess.Read));
        before.AssertUnchanged("refused opens");
    }

    [Fact]
    public void A_store_over_a_plain_directory_tree_fails_at_construction_instead_of_listing_nothing()
    {
        Directory.CreateDirectory(InRoot("docs"));
        File.WriteAllText(InRoot("docs/readme.md"), "plain");
        File.WriteAllText(InRoot("notes.txt"), "plain");
        var ex = Assert.Throws<ObjectStoreException>(() => Store());
        Assert.Contains("plain directory tree", ex.Message);
        Assert.Contains("docs/", ex.Message);
        Assert.Contains("plain directory tree", Assert.Throws<ObjectStoreException>(() => Store(depth: 0)).Message);
    }

    [Fact]
    public void A_tree_of_another_layout_written_after_construction_fails_the_first_listing()
    {
        using var store = Store(width: 3, depth: 1);
        using (var other = new HashdirStore(_root.Path)) other.Put("hello", [1]);
        Assert.Contains("width 2 and depth 3", Assert.Throws<ObjectStoreException>(() => store.Keys().ToList()).Message);
        Assert.Throws<ObjectStoreException>(() => store.List().ToList());
    }

    [Fact]
    public void A_store_of_matching_layout_with_foreign_files_beside_it_opens_and_lists()
    {
        using (var written = Store()) written.Put("hello", [1]);
        File.WriteAllText(InRoot("README"), "what this directory is");
        using var store = Store();
        Assert.Equal(["hello"], store.Keys().ToList());
    }

    [Fact]
    public async Task A_listing_racing_puts_and_deletes_of_one_key_never_calls_the_store_Pythons()
    {
        using var store = Store();
        for (int i = 0; i < 50; i++) store.Put($"steady/{i}", [1]);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var writers = Enumerable.Range(0, 2).Select(w => Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                if (w == 0) store.Put("racing", [1]);
                else store.Delete("racing");
            }
        }, TestContext.Current.CancellationToken)).ToList();
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(4);
            int listings = 0;
            while (DateTime.UtcNow < deadline)
            {
                var keys = store.Keys().ToList();
                Assert.Equal(50, keys.Count(k => k.StartsWith("steady/", StringComparison.Ordinal)));
                Assert.All(keys, k => Assert.True(k.StartsWith("steady/", StringComparison.Ordinal) || k == "racing"));
                listings++;
            }
            Assert.True(listings > 10, $"only {listings} listings ran");
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(writers);
        }
    }
}
