using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Media;

/// <summary>Foreign archives whose odd entry names read as keys, never as paths, and damaged ones that must fail clearly.</summary>
public sealed class ZipDamagedArchiveTests : IDisposable
{
    private readonly TempDirectory _dir = new("zip-damaged");

    private string ArchivePath => _dir.File("foreign.zip");

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("../x")]
    [InlineData("a/../../x")]
    [InlineData("/abs")]
    [InlineData("C:\\x")]
    [InlineData("dir\\file")]
    [InlineData("./x")]
    [InlineData("a//b")]
    [InlineData("tab\there")]
    [InlineData("%20 plain")]
    public void A_foreign_entry_name_reads_as_the_key_it_spells(string name)
    {
        ZipFixtures.Write(ArchivePath, ("fine", [1]), (name, [2]));
        using (var store = new ZipStore(ArchivePath, new ZipStoreOptions { Mode = ZipStoreMode.Read }))
        {
            Assert.Equal([2], store.Get(name));
            Assert.Equal(new[] { "fine", name }.Order(KeyComparer.Utf8), store.Keys());
        }
        // Rewritten by this store, the name becomes a safe path for the same key.
        using (var store = new ZipStore(ArchivePath, new ZipStoreOptions { Mode = ZipStoreMode.Update }))
            store.Put("new", [3]);
        using (var archive = System.IO.Compression.ZipFile.OpenRead(ArchivePath))
            Assert.Contains(KeyPathMapping.ToRelativePath(name), archive.Entries.Select(e => e.FullName));
        using (var store = new ZipStore(ArchivePath, new ZipStoreOptions { Mode = ZipStoreMode.Read }))
            Assert.Equal([2], store.Get(name));
    }

    [Theory]
    [InlineData("nul\0x", "U+0000")]
    [InlineData("a/%/b", "both hold the key")]
    public void An_entry_name_that_is_no_key_or_repeats_a_key_is_refused_at_open(string name, string rule)
    {
        ZipFixtures.Write(ArchivePath, ("fine", [1]), ("a//b", [1]), (name, [2]));
        foreach (var mode in new[] { ZipStoreMode.Read, ZipStoreMode.Update })
        {
            var ex = Assert.Throws<ObjectStoreException>(() => new ZipStore(ArchivePath, new ZipStoreOptions { Mode = mode }));
            Assert.Contains(ArchivePath, ex.Message);
            Assert.Contains(ObjectKey.Describe(name), ex.Message);
            Assert.Contains(rule, ex.Message);
        }
    }

    [Fact]
    public void An_entry_name_that_appears_twice_is_refused_at_open()
    {
        ZipFixtures.Write(ArchivePath, ("twice", [1]), ("other", [2]), ("twice", [3]));
        var ex = Assert.Throws<ObjectStoreException>(() => new ZipStore(ArchivePath, new ZipStoreOptions { Mode = ZipStoreMode.Read }));
        Assert.Contains(ArchivePath, ex.Message);
        Assert.Contains("\"twice\" appears more than once", ex.Message);
    }

    [Fact]
    public void A_refused_archive_is_left_as_it_was()
    {
        ZipFixtures.Write(ArchivePath, ("evil\0", [1]));
        var before = File.ReadAllBytes(ArchivePath);
        Assert.Throws<ObjectStoreException>(() => new ZipStore(ArchivePath, new ZipStoreOptions { Mode = ZipStoreMode.Update }));
        Assert.Equal(before, File.ReadAllBytes(ArchivePath));
        Assert.Equal(["foreign.zip"], Directory.GetFiles(_dir.Path).Select(Path.GetFileName));
    }

    public static TheoryData<string> Damages() => ["empty file", "not a zip", "truncated to half", "truncated by one byte", "central directory overwritten"];

    [Theory, MemberData(nameof(Damages))]
    public void A_damaged_archive_fails_at_open_naming_the_file(string damage)
    {
        ZipFixtures.Write(ArchivePath, ("a", TestData.Bytes(5000, 1)), ("b", TestData.Bytes(5000, 2)));
        var bytes = File.ReadAllBytes(ArchivePath);
        byte[] damaged = damage switch
        {
            "empty file" => [],
            "not a zip" => TestData.Bytes(4000, 9),
            "truncated to half" => bytes[..(bytes.Length / 2)],
            "truncated by one byte" => bytes[..^1],
            "central directory overwritten" => Overwrite(bytes, bytes.Length - 22 - 60, 60),
            _ => throw new ArgumentOutOfRangeException(nameof(damage)),
        };
        File.WriteAllBytes(ArchivePath, damaged);
        foreach (var mode in new[] { ZipStoreMode.Read, ZipStoreMode.Update })
        {
            var ex = Assert.Throws<ObjectStoreException>(() => new ZipStore(ArchivePath, new ZipStoreOptions { Mode = mode }));
            Assert.Contains(ArchivePath, ex.Message);
            Assert.NotNull(ex.InnerException);
        }
        Assert.Equal(damaged, File.ReadAllBytes(ArchivePath));
    }

    [Theory]
    [InlineData(System.IO.Compression.CompressionLevel.NoCompression)]
    [InlineData(System.IO.Compression.CompressionLevel.Optimal)]
    public void Damaged_entry_data_fails_the_read_naming_file_and_key(System.IO.Compression.CompressionLevel level)
    {
        var path = _dir.File("ours.zip");
        using (var writer = new ZipStore(path, new ZipStoreOptions { Mode = ZipStoreMode.Create, CompressionLevel = level }))
            writer.Put("victim", TestData.Bytes(20_000, 3));
        var bytes = File.ReadAllBytes(path);
        // The data starts after the 30-byte local header and the 6-byte name.
        for (int i = 30 + 6 + 100; i < 30 + 6 + 200; i++) bytes[i] ^= 0x5A;
        File.WriteAllBytes(path, bytes);
        using var store = new ZipStore(path, new ZipStoreOptions { Mode = ZipStoreMode.Read });
        var ex = Assert.Throws<ObjectStoreException>(() => store.Get("victim"));
        Assert.Contains(path, ex.Message);
        Assert.Equal("victim", ex.Key);
        var streamed = Assert.Throws<ObjectStoreException>(() =>
        {
            using var stream = store.OpenRead("victim");
            stream.CopyTo(Stream.Null);
        });
        Assert.Equal("victim", streamed.Key);
    }

    [Fact]
    public void A_flush_that_fails_part_way_leaves_the_archive_and_the_session_as_they_were()
    {
        var (path, bytes) = StoredArchiveWithOneFlippedByte();
        using var store = new ZipStore(path, new ZipStoreOptions { Mode = ZipStoreMode.Update });
        store.Put("new", [7]);
        // Copying the damaged entry into the new archive fails its CRC check.
        var ex = Assert.Throws<ObjectStoreException>(store.Flush);
        Assert.Contains(path, ex.Message);
        Assert.Equal(bytes, File.ReadAllBytes(path));
        Assert.Empty(Directory.GetFiles(_dir.Path, "*.zipstore-tmp", SearchOption.AllDirectories));
        Assert.Equal([7], store.Get("new"));
        store.Delete("victim");
        store.Flush();
        Assert.Equal(["new"], ZipFixtures.Read(path).Keys);
    }

    [Fact]
    public void Without_checksum_verification_damaged_stored_data_is_returned_as_it_is()
    {
        var (path, _) = StoredArchiveWithOneFlippedByte();
        using var trusting = new ZipStore(path, new ZipStoreOptions { Mode = ZipStoreMode.Read, VerifyChecksums = false });
        var read = trusting.Get("victim");
        Assert.NotEqual(TestData.Bytes(1000, 3), read);
        Assert.Equal(TestData.Bytes(1000, 3)[10] ^ 0xFF, read[10]);
    }

    private static byte[] Overwrite(byte[] bytes, int start, int count)
    {
        var copy = bytes.ToArray();
        for (int i = start; i < start + count; i++) copy[i] = 0xEE;
        return copy;
    }

    // "victim" (1,000 stored bytes) with byte 10 of its data flipped; returns the path and the damaged file's bytes.
    private (string Path, byte[] Bytes) StoredArchiveWithOneFlippedByte()
    {
        var path = _dir.File("ours.zip");
        using (var writer = new ZipStore(path, new ZipStoreOptions { Mode = ZipStoreMode.Create, CompressionLevel = System.IO.Compression.CompressionLevel.NoCompression }))
            writer.Put("victim", TestData.Bytes(1000, 3));
        var bytes = File.ReadAllBytes(path);
        bytes[30 + 6 + 10] ^= 0xFF; // after the 30-byte local header and the 6-byte name
        File.WriteAllBytes(path, bytes);
        return (path, bytes);
    }
}
