using System.Text;
using ObjectStorage.Tests.Conformance;
using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Media;

public sealed class FilesystemStoreConformance : StoreConformance
{
    protected override ObjectStore CreateStore() => new FilesystemStore(NewTempDirectory("fs"));

    protected override bool KeysMayNestUnderKeys => false;
}

public sealed class FilesystemStoreFlushingConformance : StoreConformance
{
    protected override ObjectStore CreateStore() =>
        new FilesystemStore(NewTempDirectory("fs-flush"), new FilesystemStoreOptions { FlushToDisk = true });

    protected override bool KeysMayNestUnderKeys => false;

    protected override long LargeObjectBytes => 8L << 20;
}

/// <summary>What only a directory tree does: plain files, directory collisions, temporary files, the walk.</summary>
public sealed class FilesystemStoreTests : IDisposable
{
    private readonly TempDirectory _root = new("fs");
    private readonly FilesystemStore _store;

    public FilesystemStoreTests() => _store = new FilesystemStore(_root.Path);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        _store.Dispose();
        _root.Dispose();
    }

    // The one fixture helper: a file written behind the store's back, as a person or another program would.
    private string WriteFile(string relativePath, string content = "x")
    {
        var path = Path.Combine(_root.Path, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    private List<string> FilesOnDisk() =>
        Directory.EnumerateFiles(_root.Path, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Select(p => Path.GetRelativePath(_root.Path, p)).Order(StringComparer.Ordinal).ToList();

    [Fact]
    public void An_object_is_a_plain_file_at_the_key_path()
    {
        _store.Put("reports/2026/q3.pdf", Encoding.UTF8.GetBytes("quarter"));
        Assert.Equal("quarter", File.ReadAllText(Path.Combine(_root.Path, "reports", "2026", "q3.pdf")));
        Assert.Equal(["reports/2026/q3.pdf"], FilesOnDisk());
    }

    [Fact]
    public void A_store_over_an_existing_tree_reads_and_lists_its_files_in_key_order()
    {
        WriteFile("a0", "3");
        WriteFile("a/b", "2");
        WriteFile("a.b", "1");
        WriteFile("docs/.hidden", "4");
        WriteFile("docs/readme.md", "5");
        using var store = new FilesystemStore(_root.Path);
        Assert.Equal(["a.b", "a/b", "a0", "docs/.hidden", "docs/readme.md"], store.Keys().ToList());
        Assert.Equal("2", Encoding.UTF8.GetString(store.Get("a/b")));
        Assert.Equal(1, store.Stat("docs/readme.md")!.Size);
    }

    [Fact]
    public void Files_with_any_name_a_person_can_make_are_listed_and_read_as_their_names()
    {
        string[] names = ["ok", "back\\slash", "control\u0001char", "new\nline", "bad\\dir/inside", "%20 report.pdf", "%", "%%", ".hidden", "bidi\u202Etxt.exe"];
        foreach (var name in names) WriteFile(name, name);
        // "%" alone is the escaped empty segment, so at the root it holds the key "", which is no key: reported, not listed.
        var skipped = new List<SkippedEntry>();
        _store.EntrySkipped += (_, entry) => skipped.Add(entry);
        var expected = names.Where(n => n != "%").Order(KeyComparer.Utf8).ToList();
        Assert.Equal(expected, _store.Keys().ToList());
        foreach (var key in expected) Assert.Equal(key, Encoding.UTF8.GetString(_store.Get(key)));
        Assert.Equal(Path.Join(_root.Path, "%"), Assert.Single(skipped).Entry);
        Assert.Contains("must not be empty", skipped[0].Reason);
    }

    [Fact]
    public async Task Names_that_are_not_UTF8_are_reported_and_two_of_them_never_list_as_one_key()
    {
        WriteFile("dir/fine", "1");
        // Two names .NET would both decode to "bad\uFFFD"; made with Python, which writes bytes.
        await SqliteFiles.RunPythonAsync(
            "import os,sys; d=os.fsencode(sys.argv[1]); [open(os.path.join(d, b'dir', n), 'wb').write(b'x') for n in (b'bad\\xff', b'bad\\xfe')]",
            _root.Path);
        var skipped = new List<SkippedEntry>();
        _store.EntrySkipped += (_, entry) => skipped.Add(entry);
        Assert.Equal(["dir/fine"], _store.Keys().ToList());
        Assert.Equal(2, skipped.Count);
        Assert.All(skipped, s => Assert.Contains("not valid UTF-8", s.Reason));
        Assert.All(skipped, s => Assert.Equal(_store.ToString(), s.Store));
    }

    [Fact]
    public void Odd_keys_become_the_documented_paths_and_stay_inside_the_root()
    {
        var paths = new Dictionary<string, string>
        {
            ["photos/"] = "photos/%",
            ["a//b"] = "a/%/b",
            ["/lead"] = "%/lead",
            ["../up"] = "%../up",
            ["a/./b"] = "a/%./b",
            ["%"] = "%%25",
            ["%.."] = "%%25..",
            ["%20 report.pdf"] = "%20 report.pdf",
            ["\\tmp-x"] = "%\\tmp-x",
            ["plain/key.txt"] = "plain/key.txt",
        };
        foreach (var (key, path) in paths) _store.Put(key, Encoding.UTF8.GetBytes(key));
        Assert.Equal(paths.Values.Order(StringComparer.Ordinal), FilesOnDisk().Order(StringComparer.Ordinal));
        Assert.Equal(paths.Keys.Order(KeyComparer.Utf8), _store.Keys());
    }

    [Fact]
    public void Temporary_files_are_named_with_a_backslash_and_never_listed()
    {
        // What a writer killed mid-put leaves behind.
        WriteFile("dir/\\tmp-1-0123456789abcdef", "partial");
        WriteFile("dir/object", "whole");
        Assert.Equal(["dir/object"], _store.Keys().ToList());
        Assert.Equal(["dir/object"], _store.List().Select(i => i.Key).ToList());
    }

    [Fact]
    public void A_failed_put_leaves_no_temporary_file_and_the_old_object()
    {
        _store.Put("kept", [1, 2, 3]);
        var failing = new FailingStream(new PatternStream(1 << 20), failAfter: 200_000);
        var ex = Assert.Throws<IOException>(() => _store.Put("kept", failing));
        Assert.Equal("the source broke", ex.Message);
        Assert.Equal([1, 2, 3], _store.Get("kept"));
        Assert.Equal(["kept"], FilesOnDisk());
    }

    [Fact]
    public async Task A_cancelled_streamed_put_leaves_no_temporary_file()
    {
        using var cts = new CancellationTokenSource();
        var stream = new GatedStream(TestData.Bytes(300_000), gateAt: 100_000);
        var put = Task.Run(async () => await _store.PutAsync("pending", stream, cts.Token), Ct);
        await stream.Reached;
        await cts.CancelAsync();
        stream.Release();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => put);
        Assert.False(_store.Exists("pending"));
        Assert.Empty(FilesOnDisk());
    }

    [Fact]
    public async Task A_streamed_put_writes_to_disk_as_it_reads()
    {
        var stream = new GatedStream(TestData.Bytes(1 << 20), gateAt: 512 * 1024);
        var put = Task.Run(() => _store.Put("streamed", stream), Ct);
        await stream.Reached;
        try
        {
            // Half of the object is already in the temporary file, not held in memory. On Linux
            // that file has no name: the process's open descriptors show it.
            var temp = FilesOnDisk() is [var named] ? Path.Combine(_root.Path, named) : UnnamedOpenFile(_root.Path);
            using var written = File.OpenHandle(temp);
            Assert.True(RandomAccess.GetLength(written) >= 256 * 1024);
        }
        finally
        {
            stream.Release();
        }
        await put;
        Assert.Equal(TestData.Bytes(1 << 20), _store.Get("streamed"));
    }

    // The descriptor of an unnamed file (O_TMPFILE) this process has open in directory, as /proc/self/fd names it ("dir/#123 (deleted)").
    private static string UnnamedOpenFile(string directory) =>
        Assert.Single(Directory.EnumerateFileSystemEntries("/proc/self/fd"),
            fd => new FileInfo(fd).LinkTarget is { } target && target.StartsWith(directory + "/#", StringComparison.Ordinal));

    [Fact]
    public void A_key_over_an_object_or_a_directory_fails_naming_both()
    {
        _store.Put("report", [1]);
        var under = Assert.Throws<InvalidKeyException>(() => _store.Put("report/appendix", [2]));
        Assert.Equal("report/appendix", under.Key);
        Assert.Contains("\"report\" is an object", under.Message);
        _store.Put("logs/today", [3]);
        var over = Assert.Throws<InvalidKeyException>(() => _store.Put("logs", [4]));
        Assert.Equal("logs", over.Key);
        Assert.Contains("directory holding other keys", over.Message);
        Assert.Equal(["logs/today", "report"], FilesOnDisk());
        Assert.Null(_store.Stat("logs"));
        Assert.False(_store.TryGet("report/appendix", out _));
    }

    [Fact]
    public void Delete_removes_the_directories_it_empties_and_never_the_root()
    {
        _store.Put("a/b/c/d", [1]);
        _store.Put("a/x", [2]);
        _store.Delete("a/b/c/d");
        Assert.False(Directory.Exists(Path.Combine(_root.Path, "a", "b")));
        Assert.True(Directory.Exists(Path.Combine(_root.Path, "a")));
        _store.Delete("a/x");
        Assert.False(Directory.Exists(Path.Combine(_root.Path, "a")));
        Assert.True(Directory.Exists(_root.Path));
        _store.Put("top", [3]);
        _store.Delete("top");
        Assert.True(Directory.Exists(_root.Path));
    }

    [Fact]
    public void Delete_of_a_directory_name_is_a_no_op()
    {
        _store.Put("dir/inner", [1]);
        _store.Delete("dir");
        Assert.Equal([1], _store.Get("dir/inner"));
    }

    [Fact]
    public void A_segment_longer_than_the_file_system_allows_fails_clearly()
    {
        var segment = new string('é', 130); // 260 bytes of UTF-8, under the 1024-byte key limit
        var key = "long/" + segment;
        var ex = Assert.Throws<InvalidKeyException>(() => _store.Put(key, [1]));
        Assert.Contains("260 bytes", ex.Message);
        Assert.Contains("at most 255", ex.Message);
        Assert.Contains(_store.ToString(), ex.Message);
        // The medium cannot hold the key at all, so every operation on it says so.
        Assert.Throws<InvalidKeyException>(() => _store.Exists(key));
        Assert.Throws<InvalidKeyException>(() => _store.Get(key));
        Assert.Empty(FilesOnDisk());
    }

    [Fact]
    public void A_root_that_is_a_file_fails_at_construction()
    {
        var file = WriteFile("plain-file");
        var ex = Assert.Throws<ObjectStoreException>(() => new FilesystemStore(file));
        Assert.Contains("the root is a file", ex.Message);
        Assert.Contains(file, ex.Message);
    }

    [Fact]
    public void A_missing_root_is_created()
    {
        var root = Path.Combine(_root.Path, "new", "root");
        using var store = new FilesystemStore(root);
        Assert.True(Directory.Exists(root));
        Assert.Empty(store.Keys());
    }

    [Fact, System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void An_unreadable_root_fails_at_construction()
    {
        Assert.SkipWhen(Environment.IsPrivilegedProcess, "the superuser reads any directory regardless of its mode");
        var root = Path.Combine(_root.Path, "locked");
        Directory.CreateDirectory(root);
        File.SetUnixFileMode(root, UnixFileMode.None);
        try
        {
            var ex = Assert.Throws<ObjectStoreException>(() => new FilesystemStore(root));
            Assert.Contains("cannot be created or read", ex.Message);
        }
        finally
        {
            File.SetUnixFileMode(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [Fact]
    public void The_ETag_changes_on_every_overwrite_even_with_equal_sizes_within_one_clock_tick()
    {
        var tags = new HashSet<string>();
        for (int i = 0; i < 200; i++)
        {
            _store.Put("same-size", [(byte)i]);
            Assert.True(tags.Add(_store.Stat("same-size")!.ETag!), $"ETag repeated at overwrite {i}");
        }
        Assert.Equal(_store.Stat("same-size"), _store.List().Single());
    }

    [Fact]
    public void An_open_read_stream_keeps_the_version_it_opened_across_an_overwrite()
    {
        _store.Put("doc", TestData.Bytes(100_000, seed: 1));
        using var stream = _store.OpenRead("doc");
        Assert.IsType<FileStream>(stream);
        var head = new byte[10];
        stream.ReadExactly(head);
        _store.Put("doc", TestData.Bytes(50_000, seed: 2));
        var rest = new MemoryStream();
        stream.CopyTo(rest);
        Assert.Equal(TestData.Bytes(100_000, seed: 1), head.Concat(rest.ToArray()).ToArray());
        Assert.Equal(TestData.Bytes(50_000, seed: 2), _store.Get("doc"));
    }

    [Fact]
    public void Listing_a_large_tree_yields_every_file_in_UTF8_key_order()
    {
        // A smaller cousin of the 1,000,000-file run in docs/benchmarks.md, with names that sort
        // differently as paths than as keys.
        var expected = new List<string>();
        string[] tops = ["a", "a.b", "a0", "a-", "Z", "é", "z\uE000", "z😀"];
        foreach (var top in tops)
            for (int d = 0; d < 5; d++)
                for (int f = 0; f < 100; f++)
                {
                    var key = $"{top}/{d}/{(f % 2 == 0 ? "" : "x.")}{f}";
                    expected.Add(key);
                    WriteFile(key);
                }
        expected.Sort(KeyComparer.Utf8);
        Assert.Equal(expected, _store.Keys().ToList());
        Assert.Equal(expected.Where(k => k.StartsWith("a/3/x.", StringComparison.Ordinal)), _store.Keys("a/3/x.").ToList());
        Assert.Equal(expected.Where(k => k.StartsWith("a", StringComparison.Ordinal)), _store.Keys("a").ToList());
    }

    [Fact]
    public void Listing_reads_each_directory_when_it_reaches_it()
    {
        WriteFile("a/1");
        WriteFile("c/1");
        using var keys = _store.Keys().GetEnumerator();
        Assert.True(keys.MoveNext());
        Assert.Equal("a/1", keys.Current);
        // Written after the walk began, in a directory it has not read yet: a walk that had
        // loaded the tree up front would miss them.
        WriteFile("c/0");
        WriteFile("c/2");
        var rest = new List<string>();
        while (keys.MoveNext()) rest.Add(keys.Current);
        Assert.Equal(["c/0", "c/1", "c/2"], rest);
    }

    [Fact]
    public void A_prefix_that_names_a_file_or_nothing_lists_only_what_matches()
    {
        WriteFile("a/b", "1");
        Assert.Empty(_store.Keys("a/b/"));
        Assert.Empty(_store.Keys("missing/"));
        Assert.Equal(["a/b"], _store.Keys("a/b").ToList());
    }
}

public sealed class FilesystemStoreCrashTests
{
    [Fact]
    public Task Every_object_is_one_complete_version_after_the_writer_is_killed_20_times() =>
        FilesystemCrashTest.KillWriterRepeatedly("filesystem", root => new FilesystemStore(root), kills: 20);
}
