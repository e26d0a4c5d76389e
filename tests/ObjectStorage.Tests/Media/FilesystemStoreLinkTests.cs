using System.Text;
using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Media;

/// <summary>
/// Data the store did not write: symbolic links (into and out of the root, dangling, looping) and
/// special files (FIFOs, sockets, devices), all made for real. Nothing outside the root is ever
/// read, written or deleted; nothing but regular files is an object; what a listing passes over is reported.
/// </summary>
public sealed class FilesystemStoreLinkTests : IDisposable
{
    private readonly TempDirectory _root = new("fs-links");
    private readonly TempDirectory _outside = new("fs-outside");
    private readonly List<SkippedEntry> _skipped = [];

    public void Dispose()
    {
        _root.Dispose();
        _outside.Dispose();
    }

    // The one fixture helper: a store over the root, with its skipped entries collected.
    private FilesystemStore Store(LinkPolicy links = LinkPolicy.Skip)
    {
        var store = new FilesystemStore(_root.Path, new FilesystemStoreOptions { Links = links });
        store.EntrySkipped += (_, entry) => _skipped.Add(entry);
        return store;
    }

    private static string Write(string path, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    private string InRoot(string relative) => Path.Join(_root.Path, relative);

    private string Outside(string relative) => Path.Join(_outside.Path, relative);

    [Fact]
    public void Put_through_a_link_to_a_directory_outside_the_root_is_refused_naming_key_and_link()
    {
        SpecialFiles.Link(InRoot("evil"), _outside.Path);
        using var store = Store();
        var before = DirectorySnapshot.Take(_outside.Path);
        var ex = Assert.Throws<ObjectStoreException>(() => store.Put("evil/x", [1, 2, 3]));
        Assert.Equal("evil/x", ex.Key);
        Assert.Contains(InRoot("evil"), ex.Message);
        Assert.Contains("symbolic link", ex.Message);
        Assert.Throws<ObjectStoreException>(() => store.Put("evil/x", new MemoryStream([1])));
        Assert.Throws<ObjectStoreException>(() => store.PutAsync("evil/x", new MemoryStream([1]), TestContext.Current.CancellationToken).AsTask().GetAwaiter().GetResult());
        before.AssertUnchanged("refused puts through a link");
    }

    [Fact]
    public void Get_Exists_Stat_and_OpenRead_never_read_through_a_link()
    {
        Write(Outside("secret"), "outside the root");
        SpecialFiles.Link(InRoot("evil"), _outside.Path);
        SpecialFiles.Link(InRoot("copy"), Outside("secret"));
        using var store = Store();
        foreach (var key in new[] { "evil/secret", "copy" })
        {
            Assert.Contains("symbolic link", Assert.Throws<ObjectStoreException>(() => store.Get(key)).Message);
            Assert.Throws<ObjectStoreException>(() => store.OpenRead(key));
            Assert.Throws<ObjectStoreException>(() => store.Exists(key));
            Assert.Throws<ObjectStoreException>(() => store.Stat(key));
        }
    }

    [Fact]
    public void Delete_never_removes_a_file_outside_the_root_nor_the_link_itself()
    {
        var secret = Write(Outside("dir/secret"), "keep me");
        SpecialFiles.Link(InRoot("evil"), Outside("dir"));
        SpecialFiles.Link(InRoot("a/b/lnk"), secret);
        using var store = Store();
        Assert.Throws<ObjectStoreException>(() => store.Delete("evil/secret"));
        Assert.Throws<ObjectStoreException>(() => store.Delete("a/b/lnk"));
        Assert.Equal("keep me", File.ReadAllText(secret));
        Assert.NotNull(new FileInfo(InRoot("evil")).LinkTarget);
        Assert.NotNull(new FileInfo(InRoot("a/b/lnk")).LinkTarget);
    }

    [Fact]
    public void Listing_passes_over_every_link_and_reports_it_so_listed_sizes_equal_read_sizes()
    {
        Write(InRoot("a"), "hello");
        Write(Outside("big"), new string('x', 100));
        SpecialFiles.Link(InRoot("b-file-link"), Outside("big"));
        SpecialFiles.Link(InRoot("c-dangling"), Outside("nothing"));
        SpecialFiles.Link(InRoot("d-dir-link"), _outside.Path);
        SpecialFiles.Link(InRoot("e/inner-link"), InRoot("a"));
        using var store = Store();
        Assert.Equal(["a"], store.Keys().ToList());
        Assert.Equal(4, _skipped.Count);
        Assert.All(_skipped, s => Assert.Contains("symbolic link", s.Reason));
        Assert.Equal([InRoot("b-file-link"), InRoot("c-dangling"), InRoot("d-dir-link"), InRoot("e/inner-link")], _skipped.Select(s => s.Entry).Order(StringComparer.Ordinal));
        _skipped.Clear();
        var listed = Assert.Single(store.List());
        Assert.Equal(store.Get("a").Length, listed.Size);
        Assert.Equal(4, _skipped.Count);
    }

    [Fact]
    public void A_listing_under_a_linked_prefix_reports_the_link_and_lists_nothing_from_outside()
    {
        Write(Outside("secret"), "outside");
        SpecialFiles.Link(InRoot("evil"), _outside.Path);
        using var store = Store();
        Assert.Empty(store.Keys("evil/"));
        Assert.Empty(store.List("evil/s"));
        Assert.Equal(2, _skipped.Count);
        Assert.All(_skipped, s => Assert.Equal(InRoot("evil"), s.Entry));
    }

    [Fact]
    public void Following_links_inside_the_root_lists_and_reads_their_targets_and_still_refuses_the_rest()
    {
        Write(InRoot("real/f"), "target!");
        Write(Outside("secret"), "outside the root");
        SpecialFiles.Link(InRoot("alias"), InRoot("real"));
        SpecialFiles.Link(InRoot("flink"), "real/f");
        SpecialFiles.Link(InRoot("out"), _outside.Path);
        SpecialFiles.Link(InRoot("out-file"), Outside("secret"));
        SpecialFiles.Link(InRoot("dead"), InRoot("nothing"));
        SpecialFiles.Link(InRoot("real/loop"), _root.Path);
        using var store = Store(LinkPolicy.FollowInsideRoot);
        var listed = store.List().ToList();
        Assert.Equal(["alias/f", "flink", "real/f"], listed.Select(i => i.Key));
        Assert.All(listed, info => Assert.Equal(store.Get(info.Key).Length, info.Size));
        Assert.Equal(7, listed[1].Size);
        Assert.Equal([InRoot("alias/loop"), InRoot("real/loop")], _skipped.Where(s => s.Reason.Contains("loop", StringComparison.Ordinal)).Select(s => s.Entry));
        Assert.Contains(_skipped, s => s.Entry == InRoot("out") && s.Reason.Contains("outside the root", StringComparison.Ordinal));
        Assert.Contains(_skipped, s => s.Entry == InRoot("out-file") && s.Reason.Contains("outside the root", StringComparison.Ordinal));
        Assert.Contains(_skipped, s => s.Entry == InRoot("dead") && s.Reason.Contains("dangling", StringComparison.Ordinal));

        store.Put("alias/g", Encoding.UTF8.GetBytes("through"));
        Assert.Equal("through", File.ReadAllText(InRoot("real/g")));
        store.Put("flink", Encoding.UTF8.GetBytes("new"));
        Assert.Equal("new", File.ReadAllText(InRoot("real/f")));
        Assert.NotNull(new FileInfo(InRoot("flink")).LinkTarget);
        var before = DirectorySnapshot.Take(_outside.Path);
        Assert.Contains("outside the root", Assert.Throws<ObjectStoreException>(() => store.Put("out/x", [1])).Message);
        Assert.Throws<ObjectStoreException>(() => store.Get("out-file"));
        Assert.Throws<ObjectStoreException>(() => store.Delete("out/secret"));
        before.AssertUnchanged("refused operations through a link out of the root");

        // A delete through a followed link empties real/, but neither removes the link nor the directory it leads to.
        store.Delete("alias/g");
        store.Delete("alias/f");
        Assert.False(File.Exists(InRoot("real/g")));
        Assert.NotNull(new FileInfo(InRoot("alias")).LinkTarget);
    }

    [Fact]
    public void FIFOs_and_sockets_are_never_listed_and_their_reads_fail_at_once_saying_what_they_are()
    {
        Write(InRoot("a"), "regular");
        SpecialFiles.Fifo(InRoot("dir/pipe"));
        using var socket = SpecialFiles.Socket(InRoot("sock"));
        using var store = Store();
        Assert.Equal(["a"], store.Keys().ToList());
        Assert.Equal(["a"], store.List().Select(i => i.Key));
        Assert.Equal(4, _skipped.Count);
        Assert.Contains(_skipped, s => s.Entry == InRoot("dir/pipe") && s.Reason.Contains("FIFO", StringComparison.Ordinal));
        Assert.Contains(_skipped, s => s.Entry == InRoot("sock") && s.Reason.Contains("socket", StringComparison.Ordinal));
        var pipe = InRoot("dir/pipe");
        var error = SpecialFiles.WithinSeconds(10, () => store.Get("dir/pipe"), pipe);
        Assert.Contains("not a regular file", Assert.IsType<ObjectStoreException>(error).Message);
        Assert.Contains("FIFO", error.Message);
        Assert.IsType<ObjectStoreException>(SpecialFiles.WithinSeconds(10, () => store.OpenRead("dir/pipe"), pipe));
        Assert.IsType<ObjectStoreException>(SpecialFiles.WithinSeconds(10, () => store.Stat("dir/pipe"), pipe));
        Assert.IsType<ObjectStoreException>(SpecialFiles.WithinSeconds(10, () => store.Exists("sock")));
        Assert.IsType<ObjectStoreException>(SpecialFiles.WithinSeconds(10, () => store.Put("dir/pipe", [1]), pipe));
        Assert.IsType<ObjectStoreException>(SpecialFiles.WithinSeconds(10, () => store.Delete("sock")));
        // The refused put left the FIFO as it was, not a 1-byte regular file in its place.
        Assert.Equal(0, new FileInfo(InRoot("dir/pipe")).Length);
    }

    [Fact]
    public void A_sync_of_a_tree_with_a_device_and_a_FIFO_copies_the_regular_files_and_ends()
    {
        Write(InRoot("a"), "regular");
        SpecialFiles.ZeroDevice(InRoot("dev/zero"));
        SpecialFiles.Fifo(InRoot("dev/pipe"));
        using var source = Store();
        using var target = new DictStore();
        SyncReport? report = null;
        Assert.Null(SpecialFiles.WithinSeconds(30, () => report = StoreSync.Sync(source, target), InRoot("dev/pipe")));
        Assert.Equal(["a"], target.Keys().ToList());
        Assert.Equal(2, report!.Skipped.Count);
        Assert.Contains(report.Skipped, s => s.Reason.Contains("character device", StringComparison.Ordinal));
    }

    [Fact]
    public void Store_URLs_choose_the_link_policy_and_refuse_an_unknown_one()
    {
        using (var skip = Assert.IsType<FilesystemStore>(StoreUrl.Open(_root.Path)))
            Assert.Equal(LinkPolicy.Skip, skip.Options.Links);
        using (var follow = Assert.IsType<FilesystemStore>(StoreUrl.Open($"file://{_root.Path}?links=follow-inside-root")))
            Assert.Equal(LinkPolicy.FollowInsideRoot, follow.Options.Links);
        using (var hashdir = Assert.IsType<HashdirStore>(StoreUrl.Open($"hashdir://{_outside.Path}?links=follow-inside-root")))
            Assert.Equal(LinkPolicy.FollowInsideRoot, hashdir.Options.Links);
        Assert.Contains("follow-inside-root", Assert.ThrowsAny<ArgumentException>(() => StoreUrl.Open($"file://{_root.Path}?links=follow")).Message);
    }
}
