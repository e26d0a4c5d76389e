using System.Text;
using ObjectStorage.Tests.Conformance;
using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Media;

// Keys in extended attributes where the temp directory's file system keeps them (ext4 here).
public sealed class HashdirStoreConformance : StoreConformance
{
    protected override ObjectStore CreateStore() => new HashdirStore(NewTempDirectory("hashdir"));
}

// Keys in record files beside the objects, as earlier versions wrote them.
public sealed class HashdirStoreRecordFileConformance : StoreConformance
{
    protected override ObjectStore CreateStore() => new HashdirStore(NewTempDirectory("hashdir-files"), keyRecords: HashdirKeyRecords.File);
}

// On tmpfs, which keeps user attributes since Linux 6.6 (older kernels: record files, by the same auto choice).
public sealed class HashdirStoreOnTmpfsConformance : StoreConformance
{
    protected override ObjectStore CreateStore() =>
        new HashdirStore(Track(new TempDirectory("hashdir-tmpfs", parent: Directory.Exists("/dev/shm") ? "/dev/shm" : null)).Path);

    protected override long LargeObjectBytes => 8L << 20;
}

public sealed class HashdirStoreShallowConformance : StoreConformance
{
    protected override ObjectStore CreateStore() => new HashdirStore(NewTempDirectory("hashdir-1x1"), width: 1, depth: 1);

    protected override long LargeObjectBytes => 8L << 20;
}

// Depth 0: every object in the root, listed without the parallel walk of the top-level directories.
public sealed class HashdirStoreFlatConformance : StoreConformance
{
    protected override ObjectStore CreateStore() => new HashdirStore(NewTempDirectory("hashdir-flat"), width: 2, depth: 0);

    protected override long LargeObjectBytes => 8L << 20;
}

/// <summary>The hashed layout, its compatibility with the Python original, and its key records.</summary>
public sealed class HashdirStoreTests : IDisposable
{
    // sha256 of the keys' UTF-8 bytes, computed outside .NET (Python hashlib), split 2/2/2/58.
    private static readonly (string Key, string Path)[] PythonLayout =
    [
        ("hello", "2c/f2/4d/ba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"),
        ("reports/2026/q3.pdf", "80/2b/d0/bff4ceb456651aab46630639456b695d1943e97e805bc7bb3bd2b9d28d"),
        ("unicode/Grüße/😀", "aa/07/f6/06ef063684315737a0f8d1d3213a73f9479986933bf34c6b763795d594"),
    ];

    private readonly TempDirectory _root = new("hashdir");

    public void Dispose() => _root.Dispose();

    // The one fixture helper: a file written the way the Python original (or a crash) leaves it.
    private string WriteFile(string relativePath, byte[] content)
    {
        var path = Path.Combine(_root.Path, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        return path;
    }

    private List<string> FilesOnDisk() =>
        Directory.EnumerateFiles(_root.Path, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Select(p => Path.GetRelativePath(_root.Path, p)).Order(StringComparer.Ordinal).ToList();

    [Fact]
    public void A_store_written_by_the_Python_original_reads_by_key()
    {
        foreach (var (key, path) in PythonLayout) WriteFile(path, Encoding.UTF8.GetBytes("value of " + key));
        using var store = new HashdirStore(_root.Path);
        foreach (var (key, _) in PythonLayout)
        {
            Assert.Equal("value of " + key, Encoding.UTF8.GetString(store.Get(key)));
            Assert.True(store.Exists(key));
            Assert.Equal(Encoding.UTF8.GetByteCount("value of " + key), store.Stat(key)!.Size);
        }
        Assert.False(store.Exists("absent"));
        store.Delete("hello");
        Assert.False(store.Exists("hello"));
    }

    [Fact]
    public void Listing_a_store_without_key_records_throws_NotSupported_saying_why()
    {
        foreach (var (key, path) in PythonLayout) WriteFile(path, [1]);
        using var store = new HashdirStore(_root.Path);
        var ex = Assert.Throws<NotSupportedException>(() => store.Keys().ToList());
        Assert.Contains(store.ToString(), ex.Message);
        Assert.Contains("no key record", ex.Message);
        Assert.Contains("Python original", ex.Message);
        Assert.Throws<NotSupportedException>(() => store.List("hello").ToList());
    }

    [Fact]
    public void Put_with_record_files_writes_the_Python_layout_and_a_key_record_beside_the_object()
    {
        using var store = new HashdirStore(_root.Path, keyRecords: HashdirKeyRecords.File);
        foreach (var (key, _) in PythonLayout) store.Put(key, Encoding.UTF8.GetBytes(key));
        var expected = PythonLayout.SelectMany(p => new[] { p.Path, p.Path + ".key" }).Order(StringComparer.Ordinal);
        Assert.Equal(expected, FilesOnDisk());
        foreach (var (key, path) in PythonLayout)
        {
            Assert.Equal(key, File.ReadAllText(Path.Combine(_root.Path, path + ".key")));
            Assert.Equal(key, File.ReadAllText(Path.Combine(_root.Path, path)));
            Assert.Equal(Path.Combine(_root.Path, path), store.PathOf(key));
        }
        Assert.Equal(PythonLayout.Select(p => p.Key).Order(KeyComparer.Utf8), store.Keys());
    }

    [Fact]
    public void Width_and_depth_shape_the_directories()
    {
        using var store = new HashdirStore(_root.Path, width: 3, depth: 1);
        store.Put("hello", [1]);
        Assert.Equal(Path.Combine(_root.Path, "2cf", "24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"), store.PathOf("hello"));
        Assert.Equal([1], File.ReadAllBytes(store.PathOf("hello")));
        Assert.Equal(["hello"], store.Keys().ToList());
        Assert.Throws<ArgumentOutOfRangeException>(() => new HashdirStore(_root.Path, width: 8, depth: 8));
    }

    [Fact]
    public void A_listing_read_in_parallel_over_many_top_level_directories_has_every_key_once_in_order()
    {
        using var store = new HashdirStore(_root.Path);
        var keys = Enumerable.Range(0, 2000).Select(i => $"k/{i * 7919 % 2000:D4}").ToList();
        foreach (var key in keys) store.Put(key, new byte[key[^1] - '0']);
        Assert.True(Directory.GetDirectories(_root.Path).Length > 200, "the keys should spread over most top-level directories");
        var expected = keys.Order(KeyComparer.Utf8).ToList();
        Assert.Equal(expected, store.Keys().ToList());
        var listed = store.List().ToList();
        Assert.Equal(expected, listed.Select(info => info.Key));
        Assert.All(listed, info => Assert.Equal(info.Key[^1] - '0', info.Size));
        Assert.Equal(expected.Where(k => k.StartsWith("k/01", StringComparison.Ordinal)), store.Keys("k/01"));
    }

    [Fact]
    public void A_damaged_record_in_one_directory_fails_the_parallel_listing_with_the_store_error_not_an_aggregate()
    {
        using var store = new HashdirStore(_root.Path);
        for (int i = 0; i < 500; i++) store.Put($"k{i}", [1]);
        var (_, path) = PythonLayout[0];
        WriteFile(path, [1]);
        WriteFile(path + ".key", Encoding.UTF8.GetBytes("not-hello"));
        var before = DirectorySnapshot.Take(_root.Path);
        var ex = Assert.Throws<ObjectStoreException>(() => store.List().ToList());
        Assert.Contains(path.Replace('/', Path.DirectorySeparatorChar) + ".key", ex.Message);
        before.AssertUnchanged("the failed listing");
    }

    [Fact]
    public void A_record_longer_than_any_key_is_reported_as_damage_naming_the_record()
    {
        using var store = new HashdirStore(_root.Path);
        var (_, path) = PythonLayout[0];
        WriteFile(path, [1]);
        WriteFile(path + ".key", Encoding.UTF8.GetBytes(new string('k', ObjectKey.MaxBytes + 1)));
        var before = DirectorySnapshot.Take(_root.Path);
        var ex = Assert.Throws<ObjectStoreException>(() => store.Keys().ToList());
        Assert.Contains(Path.GetFileName(path) + ".key", ex.Message);
        Assert.Contains("longer than the longest key", ex.Message);
        before.AssertUnchanged("the failed listing"); // it only reads: the object and its record stay
    }

    [Fact]
    public void A_record_left_without_its_object_by_a_crash_is_not_a_key()
    {
        using var store = new HashdirStore(_root.Path);
        store.Put("kept", [1]);
        // A put killed after writing the record, before its object; and a killed write's temporary file.
        var (key, path) = PythonLayout[0];
        WriteFile(path + ".key", Encoding.UTF8.GetBytes(key));
        WriteFile(Path.Combine(Path.GetDirectoryName(path)!, "\\tmp-1-0123456789abcdef"), [9, 9]);
        Assert.Equal(["kept"], store.Keys().ToList());
        Assert.False(store.Exists(key));
        store.Put(key, [2]);
        Assert.Equal(["hello", "kept"], store.Keys().ToList());
    }

    [Theory]
    [InlineData(HashdirKeyRecords.Auto)]
    [InlineData(HashdirKeyRecords.File)]
    public void Delete_removes_the_object_and_its_record(HashdirKeyRecords keyRecords)
    {
        using var store = new HashdirStore(_root.Path, keyRecords: keyRecords);
        store.Put("hello", [1]);
        store.Delete("hello");
        Assert.Empty(FilesOnDisk());
        Assert.Empty(store.Keys());
    }

    [Fact]
    public void A_record_that_does_not_match_its_object_is_reported_as_damage()
    {
        using var store = new HashdirStore(_root.Path);
        var (_, path) = PythonLayout[0];
        WriteFile(path, [1]);
        WriteFile(path + ".key", Encoding.UTF8.GetBytes("not-hello"));
        var ex = Assert.Throws<ObjectStoreException>(() => store.Keys().ToList());
        Assert.Contains("damaged", ex.Message);
    }

    // Two stores over one tree, the even writers through the first: of one kind, or one of each kind.
    [Theory]
    [InlineData(HashdirKeyRecords.Auto, HashdirKeyRecords.Auto)]
    [InlineData(HashdirKeyRecords.File, HashdirKeyRecords.File)]
    [InlineData(HashdirKeyRecords.Auto, HashdirKeyRecords.File)]
    public async Task Concurrent_puts_and_deletes_of_the_same_keys_never_leave_an_object_without_its_record(HashdirKeyRecords even, HashdirKeyRecords odd)
    {
        using var store = new HashdirStore(_root.Path, keyRecords: even);
        using var other = new HashdirStore(_root.Path, keyRecords: odd);
        string[] keys = ["p/0", "p/1", "p/2"];
        await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(() =>
        {
            var random = new Random(w);
            var writer = w % 2 == 0 ? store : other;
            for (int i = 0; i < 300; i++)
            {
                var key = keys[random.Next(keys.Length)];
                if (random.Next(2) == 0) writer.Put(key, [(byte)w]);
                else writer.Delete(key);
            }
        }, TestContext.Current.CancellationToken)));
        Assert.Equal(keys.Where(store.Exists), store.Keys());
    }

    [Fact]
    public void A_root_that_is_a_file_fails_at_construction()
    {
        var file = WriteFile("plain-file", [1]);
        var ex = Assert.Throws<ObjectStoreException>(() => new HashdirStore(file));
        Assert.Contains("the root is a file", ex.Message);
    }
}

public sealed class HashdirStoreCrashTests
{
    [Fact]
    public Task Every_object_is_one_complete_version_after_the_writer_is_killed_20_times() =>
        FilesystemCrashTest.KillWriterRepeatedly("hashdir", root => new HashdirStore(root), kills: 20);
}
