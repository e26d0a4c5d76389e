using System.Text;
using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Media;

/// <summary>
/// Where HashdirStore records keys: in the extended attribute user.objstore.key of the object file,
/// or in record files beside it where the file system keeps no attributes; and trees of every
/// earlier kind (record files, no records) read, listed, overwritten and deleted alongside.
/// </summary>
public sealed class HashdirStoreKeyRecordTests : IDisposable
{
    private const string Attribute = HashdirStore.KeyRecordAttribute;

    private static readonly string[] Keys = ["hello", "reports/2026/q3.pdf", "unicode/Grüße/😀"];

    private readonly TempDirectory _root = new("hashdir-records");

    public void Dispose() => _root.Dispose();

    private static List<string> FilesOnDisk(string root) =>
        Directory.EnumerateFiles(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Select(p => Path.GetRelativePath(root, p)).Order(StringComparer.Ordinal).ToList();

    private static void RequireAttributes(string directory) =>
        Assert.SkipUnless(UserAttributes.Supported(directory), $"the file system under {directory} keeps no user extended attributes");

    private static List<string> ObjectPaths(HashdirStore store, IEnumerable<string> keys) =>
        keys.Select(key => Path.GetRelativePath(store.Root, store.PathOf(key))).Order(StringComparer.Ordinal).ToList();

    [Theory]
    [InlineData(HashdirKeyRecords.Auto, null)]
    [InlineData(HashdirKeyRecords.ExtendedAttribute, null)]
    [InlineData(HashdirKeyRecords.Auto, "/dev/shm")]
    public void Put_records_the_key_in_an_attribute_of_the_object_file_and_writes_no_record_file(HashdirKeyRecords keyRecords, string? parent)
    {
        Assert.SkipWhen(parent is not null && !Directory.Exists(parent), $"no {parent} here");
        using var root = new TempDirectory("hashdir-xattr", parent);
        RequireAttributes(root.Path);
        using var store = new HashdirStore(root.Path, keyRecords: keyRecords);
        foreach (var key in Keys) store.Put(key, Encoding.UTF8.GetBytes(key));
        var kept = new DateTimeOffset(2001, 2, 3, 4, 5, 6, TimeSpan.Zero);
        store.Put(Keys[0], [7], new PutOptions { LastModified = kept });

        Assert.Equal(ObjectPaths(store, Keys), FilesOnDisk(root.Path));
        foreach (var key in Keys) Assert.Equal(Encoding.UTF8.GetBytes(key), UserAttributes.Get(store.PathOf(key), Attribute));
        Assert.Equal(Keys.Order(KeyComparer.Utf8), store.Keys());
        Assert.Equal(Keys.Order(KeyComparer.Utf8).Select(key => key == Keys[0] ? 1L : Encoding.UTF8.GetByteCount(key)), store.List().Select(info => info.Size));
        Assert.Equal([7], store.Get(Keys[0]));
        Assert.Equal(kept, store.Stat(Keys[0])!.LastModified);
    }

    [Fact]
    public void A_tree_with_record_files_of_earlier_versions_is_read_listed_overwritten_and_deleted()
    {
        RequireAttributes(_root.Path);
        using (var earlier = new HashdirStore(_root.Path, keyRecords: HashdirKeyRecords.File))
            foreach (var key in Keys) earlier.Put(key, [1]);
        using var store = new HashdirStore(_root.Path);
        var recordFiles = ObjectPaths(store, Keys).Select(path => path + HashdirStore.KeyRecordSuffix).ToList();

        Assert.Equal(Keys.Order(KeyComparer.Utf8), store.Keys());
        Assert.Equal([1], store.Get(Keys[1]));

        // An overwrite records in the attribute; the record file it leaves holds the same key, the
        // only one that hashes to this path, so either record lists the object right.
        store.Put(Keys[1], [2, 2]);
        Assert.Equal(Encoding.UTF8.GetBytes(Keys[1]), UserAttributes.Get(store.PathOf(Keys[1]), Attribute));
        Assert.Equal(Keys[1], File.ReadAllText(store.PathOf(Keys[1]) + HashdirStore.KeyRecordSuffix));
        store.Put("new", [3, 3, 3]);
        Assert.Null(UserAttributes.Get(store.PathOf(Keys[0]), Attribute)); // untouched objects stay as they were
        Assert.Equal(ObjectPaths(store, [.. Keys, "new"]).Concat(recordFiles).Order(StringComparer.Ordinal), FilesOnDisk(_root.Path));

        var expected = new[] { (Keys[0], 1L), (Keys[1], 2L), (Keys[2], 1L), ("new", 3L) }.OrderBy(p => p.Item1, KeyComparer.Utf8).ToList();
        Assert.Equal(expected, store.List().Select(info => (info.Key, info.Size)));
        using (var earlier = new HashdirStore(_root.Path, keyRecords: HashdirKeyRecords.File))
            Assert.Equal(expected.Select(p => p.Item1), earlier.Keys());

        // Delete removes whichever records exist: the overwritten object's both, the untouched one's file, the new one's attribute.
        foreach (var key in (string[])[Keys[1], Keys[0], "new"]) store.Delete(key);
        Assert.Equal([Keys[2]], store.Keys());
        var left = ObjectPaths(store, [Keys[2]])[0];
        Assert.Equal([left, left + HashdirStore.KeyRecordSuffix], FilesOnDisk(_root.Path));
    }

    [Fact]
    public void An_object_of_the_Python_original_overwritten_by_a_put_gets_its_record_and_lists()
    {
        RequireAttributes(_root.Path);
        using var store = new HashdirStore(_root.Path);
        var path = store.PathOf("hello");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, [1]);
        Assert.Throws<NotSupportedException>(() => store.Keys().ToList());
        store.Put("hello", [2]);
        Assert.Equal(["hello"], store.Keys());
        Assert.Equal([Path.GetRelativePath(_root.Path, path)], FilesOnDisk(_root.Path));
    }

    [Fact]
    public void An_object_whose_attribute_a_copy_dropped_is_refused_by_listings_naming_both_records()
    {
        RequireAttributes(_root.Path);
        using var store = new HashdirStore(_root.Path);
        store.Put("hello", [1, 2]);
        var path = store.PathOf("hello");
        // What `cp` without -a does: a new file with the same bytes, without the attribute.
        var bytes = File.ReadAllBytes(path);
        File.Delete(path);
        File.WriteAllBytes(path, bytes);
        var ex = Assert.Throws<NotSupportedException>(() => store.Keys().ToList());
        Assert.Contains(Attribute, ex.Message);
        Assert.Contains(Path.GetFileName(path) + HashdirStore.KeyRecordSuffix, ex.Message);
        Assert.Equal([1, 2], store.Get("hello"));
    }

    [Fact]
    public void An_attribute_that_names_another_key_is_reported_as_damage_and_changes_nothing()
    {
        RequireAttributes(_root.Path);
        using var store = new HashdirStore(_root.Path);
        store.Put("hello", [1]);
        UserAttributes.Set(store.PathOf("hello"), Attribute, Encoding.UTF8.GetBytes("not-hello"));
        var before = DirectorySnapshot.Take(_root.Path);
        var ex = Assert.Throws<ObjectStoreException>(() => store.Keys().ToList());
        Assert.Contains($"{Attribute} of {store.PathOf("hello")}", ex.Message);
        Assert.Contains("damaged", ex.Message);
        before.AssertUnchanged("the failed listing");
    }

    [Fact]
    public void An_attribute_longer_than_any_key_is_reported_as_damage()
    {
        RequireAttributes(_root.Path);
        using var store = new HashdirStore(_root.Path);
        store.Put("hello", [1]);
        UserAttributes.Set(store.PathOf("hello"), Attribute, Encoding.UTF8.GetBytes(new string('k', 2000)));
        var ex = Assert.Throws<ObjectStoreException>(() => store.List().ToList());
        Assert.Contains("longer than the longest key", ex.Message);
    }

    [Fact]
    public void Auto_falls_back_to_record_files_on_a_file_system_without_attributes()
    {
        using var ramfs = SmallTmpfs.MountRamfs();
        Assert.False(UserAttributes.Supported(ramfs.Path));
        using var store = new HashdirStore(ramfs.Path);
        foreach (var key in Keys) store.Put(key, [1]);
        var objects = ObjectPaths(store, Keys);
        Assert.Equal(objects.Concat(objects.Select(path => path + HashdirStore.KeyRecordSuffix)).Order(StringComparer.Ordinal), FilesOnDisk(ramfs.Path));
        Assert.Equal(Keys.Order(KeyComparer.Utf8), store.Keys());
        store.Delete(Keys[0]);
        Assert.Equal(Keys.Skip(1).Order(KeyComparer.Utf8), store.Keys());
    }

    [Fact]
    public void Asked_for_attributes_on_a_file_system_without_them_a_put_fails_naming_key_and_option_and_writes_nothing()
    {
        using var ramfs = SmallTmpfs.MountRamfs();
        using var store = new HashdirStore(ramfs.Path, keyRecords: HashdirKeyRecords.ExtendedAttribute);
        var ex = Assert.Throws<ObjectStoreException>(() => store.Put("hello", [1]));
        Assert.Contains("hello", ex.Message);
        Assert.Contains(store.ToString(), ex.Message);
        Assert.Contains("keyrecord=file", ex.Message);
        Assert.Empty(FilesOnDisk(ramfs.Path));
        Assert.False(store.Exists("hello"));
    }
}
