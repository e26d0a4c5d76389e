using ObjectStorage.Tests.Conformance;
using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Media;

/// <summary>The conformance suite on a new archive.</summary>
public sealed class ZipStoreCreateConformance : StoreConformance
{
    protected override ObjectStore CreateStore() =>
        new ZipStore(Path.Combine(NewTempDirectory("zip-create"), "store.zip"), new ZipStoreOptions { Mode = ZipStoreMode.Create });
}

/// <summary>
/// The conformance suite on an existing archive opened for update: it holds a directory entry
/// (not an object) and one object that the session deletes first, so the store starts empty
/// with a pending delete.
/// </summary>
public sealed class ZipStoreUpdateConformance : StoreConformance
{
    protected override ObjectStore CreateStore()
    {
        var path = ZipFixtures.Write(Path.Combine(NewTempDirectory("zip-update"), "store.zip"), ("dir/", null), ("seed", [1, 2, 3]));
        var store = new ZipStore(path, new ZipStoreOptions { Mode = ZipStoreMode.Update });
        store.Delete("seed");
        return store;
    }
}

/// <summary>
/// The conformance suite on an empty archive opened read-only: the read side runs, the write
/// side is skipped by capability. Reading seeded archives is covered in <see cref="ZipStoreTests"/>.
/// </summary>
public sealed class ZipStoreReadConformance : StoreConformance
{
    protected override ObjectStore CreateStore() =>
        new ZipStore(ZipFixtures.Empty(Path.Combine(NewTempDirectory("zip-read"), "store.zip")), new ZipStoreOptions { Mode = ZipStoreMode.Read });
}

/// <summary>What the zip medium adds to the shared behaviours: modes, flushing, session reads, tags.</summary>
public sealed class ZipStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new("zip");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string ArchivePath => _dir.File("store.zip");

    private ZipStore Open(ZipStoreMode mode, System.IO.Compression.CompressionLevel level = System.IO.Compression.CompressionLevel.Optimal) =>
        new(ArchivePath, new ZipStoreOptions { Mode = mode, CompressionLevel = level });

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Archive_is_a_valid_zip_with_every_object_after_Dispose()
    {
        using (var store = Open(ZipStoreMode.Create))
        {
            store.Put("a/b", TestData.Bytes(10, 1));
            store.Put("é/ü", TestData.Bytes(70000, 2));
            store.Put("empty", []);
        }
        var entries = ZipFixtures.Read(ArchivePath);
        Assert.Equal(["a/b", "empty", "é/ü"], entries.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(TestData.Bytes(70000, 2), entries["é/ü"]);
        Assert.Empty(entries["empty"]);
    }

    [Fact]
    public void Create_mode_replaces_the_file_with_an_empty_archive_at_the_first_flush_not_at_open()
    {
        File.WriteAllText(ArchivePath, "old contents");
        using var store = Open(ZipStoreMode.Create);
        Assert.Equal("old contents", File.ReadAllText(ArchivePath));
        store.Flush();
        Assert.Empty(ZipFixtures.Read(ArchivePath));
    }

    [Fact]
    public void Flush_writes_a_valid_archive_and_the_store_stays_usable()
    {
        using var store = Open(ZipStoreMode.Create);
        store.Put("k1", [1]);
        store.Put("k2", [2]);
        store.Flush();
        Assert.Equal(["k1", "k2"], ZipFixtures.Read(ArchivePath).Keys.Order(StringComparer.Ordinal));
        store.Delete("k1");
        store.Put("k3", [3]);
        Assert.Equal([2], store.Get("k2"));
        Assert.Equal(["k2", "k3"], store.Keys().ToList());
        store.Flush();
        var entries = ZipFixtures.Read(ArchivePath);
        Assert.Equal(["k2", "k3"], entries.Keys.Order(StringComparer.Ordinal));
        Assert.Equal([3], entries["k3"]);
    }

    [Fact]
    public void The_archive_on_disk_is_untouched_until_Flush()
    {
        ZipFixtures.Write(ArchivePath, ("kept", [1]), ("gone", [2]));
        var before = File.ReadAllBytes(ArchivePath);
        var store = Open(ZipStoreMode.Update);
        store.Put("kept", TestData.Bytes(5000));
        store.Put("new", new PatternStream(3 << 20));
        store.Delete("gone");
        // As if the process died here: nothing was flushed, the file is the original.
        Assert.Equal(before, File.ReadAllBytes(ArchivePath));
        store.Dispose();
        var after = ZipFixtures.Read(ArchivePath);
        Assert.Equal(["kept", "new"], after.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(TestData.Bytes(5000), after["kept"]);
        Assert.Equal(["store.zip"], Directory.GetFiles(_dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Update_mode_overwrites_and_deletes_entries_of_an_existing_archive()
    {
        ZipFixtures.Write(ArchivePath, ("docs/", null), ("docs/a", [1]), ("docs/b", [2]), ("c", [3]));
        await using (var store = Open(ZipStoreMode.Update))
        {
            Assert.Equal(["c", "docs/a", "docs/b"], store.Keys().ToList());
            store.Put("docs/a", [9, 9]);
            await store.DeleteAsync("c", Ct);
            store.Put("docs/new", [4]);
            Assert.Equal([9, 9], store.Get("docs/a"));
            Assert.False(store.Exists("c"));
            Assert.Equal(["docs/a", "docs/b", "docs/new"], store.Keys().ToList());
            Assert.Equal(["docs/a", "docs/b", "docs/new"], store.Keys("docs/").ToList());
        }
        var entries = ZipFixtures.Read(ArchivePath);
        Assert.Equal(["docs/", "docs/a", "docs/b", "docs/new"], entries.Keys.Order(StringComparer.Ordinal));
        Assert.Equal([9, 9], entries["docs/a"]);
    }

    [Fact]
    public void Update_mode_on_a_missing_file_starts_a_new_archive()
    {
        using (var store = Open(ZipStoreMode.Update)) store.Put("x", [1]);
        Assert.Equal([1], ZipFixtures.Read(ArchivePath)["x"]);
    }

    [Fact]
    public void Read_mode_reads_an_existing_archive_and_refuses_writes()
    {
        ZipFixtures.Write(ArchivePath, ("dir/", null), ("dir/one", [1]), ("two", TestData.Bytes(100_000)));
        var before = File.ReadAllBytes(ArchivePath);
        using (var store = Open(ZipStoreMode.Read))
        {
            Assert.False(store.CanWrite);
            Assert.False(store.CanDelete);
            Assert.Equal(["dir/one", "two"], store.Keys().ToList());
            Assert.Equal(TestData.Bytes(100_000), store.Get("two"));
            using (var stream = store.OpenRead("dir/one")) Assert.Equal(1, stream.ReadByte());
            var ex = Assert.Throws<NotSupportedException>(() => store.Put("x", [1]));
            Assert.Contains(ArchivePath, ex.Message);
            store.Flush();
        }
        Assert.Equal(before, File.ReadAllBytes(ArchivePath));
    }

    [Fact]
    public void Read_mode_of_a_missing_file_fails_naming_the_file()
    {
        var ex = Assert.Throws<ObjectStoreException>(() => Open(ZipStoreMode.Read));
        Assert.Contains(ArchivePath, ex.Message);
    }

    [Fact]
    public void A_stream_opened_before_Flush_reads_to_its_end_after_it()
    {
        ZipFixtures.Write(ArchivePath, ("old", TestData.Bytes(300_000, 5)));
        using var store = Open(ZipStoreMode.Update);
        store.Put("spooled", TestData.Bytes(200_000, 6));
        using var fromArchive = store.OpenRead("old");
        using var fromSpool = store.OpenRead("spooled");
        var head = new byte[1000];
        fromArchive.ReadExactly(head);
        fromSpool.ReadExactly(head);
        store.Put("old", [0]);
        store.Delete("spooled");
        store.Flush();
        using var rest = new MemoryStream();
        rest.Write(TestData.Bytes(300_000, 5).AsSpan(0, 1000));
        fromArchive.CopyTo(rest);
        Assert.Equal(TestData.Bytes(300_000, 5), rest.ToArray());
        rest.SetLength(0);
        rest.Write(TestData.Bytes(200_000, 6).AsSpan(0, 1000));
        fromSpool.CopyTo(rest);
        Assert.Equal(TestData.Bytes(200_000, 6), rest.ToArray());
        Assert.Equal([0], store.Get("old"));
    }

    [Fact]
    public void ETag_changes_on_overwrite_and_survives_Flush()
    {
        using var store = Open(ZipStoreMode.Create);
        store.Put("k", [1, 2, 3]);
        var first = store.Stat("k")!.ETag;
        store.Put("k", [1, 2, 3]);
        var second = store.Stat("k")!.ETag;
        Assert.NotEqual(first, second);
        store.Flush();
        Assert.Equal(second, store.Stat("k")!.ETag);
    }

    [Fact]
    public void Stat_of_an_archive_entry_has_its_time_size_and_crc()
    {
        var time = new DateTimeOffset(2021, 6, 15, 10, 30, 20, TimeSpan.Zero);
        using (var file = File.Create(ArchivePath))
        using (var archive = new System.IO.Compression.ZipArchive(file, System.IO.Compression.ZipArchiveMode.Create))
        {
            var entry = archive.CreateEntry("k");
            entry.LastWriteTime = time;
            using var stream = entry.Open();
            stream.Write([1, 2, 3]);
        }
        uint crc;
        using (var archive = System.IO.Compression.ZipFile.OpenRead(ArchivePath)) crc = archive.GetEntry("k")!.Crc32;
        using var store = Open(ZipStoreMode.Read);
        var info = store.Stat("k")!;
        Assert.Equal(3, info.Size);
        Assert.Equal(time, info.LastModified);
        Assert.Equal($"{crc:x8}-3", info.ETag);
    }

    [Theory]
    [InlineData(System.IO.Compression.CompressionLevel.NoCompression)]
    [InlineData(System.IO.Compression.CompressionLevel.Optimal)]
    [InlineData(System.IO.Compression.CompressionLevel.Fastest)]
    [InlineData(System.IO.Compression.CompressionLevel.SmallestSize)]
    public void Compression_level_decides_how_entries_are_stored(System.IO.Compression.CompressionLevel level)
    {
        var text = System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("compressible text ", 5000)));
        using (var store = Open(ZipStoreMode.Create, level)) store.Put("t", text);
        using var archive = System.IO.Compression.ZipFile.OpenRead(ArchivePath);
        var entry = archive.GetEntry("t")!;
        if (level == System.IO.Compression.CompressionLevel.NoCompression) Assert.Equal(entry.Length, entry.CompressedLength);
        else Assert.True(entry.CompressedLength < entry.Length / 10, $"{entry.CompressedLength} of {entry.Length}");
    }

    [Theory]
    [InlineData(System.IO.Compression.CompressionLevel.NoCompression)]
    [InlineData(System.IO.Compression.CompressionLevel.Optimal)]
    public void A_ranged_read_seeks_in_an_object_not_yet_in_the_archive_and_reads_up_to_it_in_an_entry(System.IO.Compression.CompressionLevel level)
    {
        var data = TestData.Bytes(500_000, seed: 8);
        using (var store = Open(ZipStoreMode.Create, level))
        {
            store.Put("o", data);
            using var pending = store.OpenRead("o", 400_000, 3);
            Assert.True(pending.CanSeek);
            Assert.Equal(data[400_000], (byte)pending.ReadByte());
        }
        using var archive = Open(ZipStoreMode.Read, level);
        Assert.False(archive.IsRangeReadNative);
        // System.IO.Compression's entry streams go forward only, stored entries too.
        using var range = archive.OpenRead("o", 400_000, 3);
        Assert.False(range.CanSeek);
        var got = new byte[3];
        range.ReadExactly(got);
        Assert.Equal(data.AsSpan(400_000, 3).ToArray(), got);
        Assert.Equal(-1, range.ReadByte());
    }

    [Fact]
    public void A_rebuilt_archive_keeps_its_directory_entries_but_they_are_not_objects()
    {
        ZipFixtures.Write(ArchivePath, ("a/", null), ("a/b/", null), ("a/b/c", [1]));
        using (var store = Open(ZipStoreMode.Update))
        {
            Assert.Equal(["a/b/c"], store.Keys().ToList());
            Assert.False(store.Exists("a/b"));
            store.Put("d", [2]);
        }
        Assert.Equal(["a/", "a/b/", "a/b/c", "d"], ZipFixtures.Read(ArchivePath).Keys.Order(StringComparer.Ordinal));
    }
}
