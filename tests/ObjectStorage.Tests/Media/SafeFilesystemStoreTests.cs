using ObjectStorage.Tests.Conformance;
using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Media;

public sealed class SafeFilesystemStoreConformance : StoreConformance
{
    protected override ObjectStore CreateStore() => new SafeFilesystemStore(NewTempDirectory("safefs"));

    // A file name holds 255 bytes, and Base32 takes 8 of them for every 5 bytes of key.
    protected override int MaxKeyBytes => 155;

    protected override long LargeObjectBytes => 8L << 20;
}

/// <summary>The Python original's SafeFilesystemStore layout, both ways, on a real directory.</summary>
public sealed class SafeFilesystemStoreTests : IDisposable
{
    // File names as the original's FilesystemKeyTransformer.transform_key gives them:
    // base64.b32encode(key.encode("utf-8")), '=' padding written '_'.
    private static readonly (string Key, string Name)[] Fixture =
    [
        ("test/key.txt", "ORSXG5BPNNSXSLTUPB2A____"),
        ("ключ/файл", "2C5NBO6RR3IYOL6RQTILBUFZ2C5Q____"),
        ("a", "ME______"),
        ("hello world", "NBSWY3DPEB3W64TMMQ______"),
        ("..", "FYXA____"),
        ("a//b", "MEXS6YQ_"),
    ];

    private readonly TempDirectory _dir = new("safefs");

    [Fact]
    public void A_tree_the_original_wrote_reads_and_lists_in_key_order()
    {
        foreach (var (key, name) in Fixture) File.WriteAllText(_dir.File(name), "data of " + key);
        using var store = new SafeFilesystemStore(_dir.Path);
        Assert.Equal(Fixture.Select(f => f.Key).Order(KeyComparer.Utf8), store.Keys());
        foreach (var (key, _) in Fixture) Assert.Equal("data of " + key, store.Text().Get(key));
        Assert.Equal(["a", "a//b"], store.Keys("a"));
    }

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task What_this_store_writes_is_the_tree_the_original_writes(Api api)
    {
        var store = new StoreApi(new SafeFilesystemStore(_dir.Path), api);
        foreach (var (key, _) in Fixture) await store.Put(key, [1]);
        Assert.Equal(Fixture.Select(f => f.Name).Order(StringComparer.Ordinal),
            Directory.GetFileSystemEntries(_dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        await store.Delete("a");
        Assert.False(File.Exists(_dir.File("ME______")));
    }

    [Fact]
    public void A_key_longer_than_a_file_name_can_hold_is_refused_naming_the_limit()
    {
        using var store = new SafeFilesystemStore(_dir.Path);
        store.Put(new string('x', 155), [1]);
        var refused = Assert.Throws<InvalidKeyException>(() => store.Put(new string('x', 156), [1]));
        Assert.Contains("at most 155 bytes", refused.Message);
        Assert.Contains("SafeFilesystemStore(", refused.Message);
    }

    [Fact]
    public void Names_the_layout_does_not_write_are_reported_and_not_listed()
    {
        File.WriteAllText(_dir.File("readme.txt"), "");
        File.WriteAllText(_dir.File("me______"), ""); // lower case: Python's b32decode refuses it
        File.WriteAllText(_dir.File("MF______"), ""); // "a" with a stray bit: not the name of any key
        Directory.CreateDirectory(_dir.File("ORSXG5BP"));
        File.WriteAllText(_dir.File("ME______"), "");
        using var store = new SafeFilesystemStore(_dir.Path);
        var skipped = new List<string>();
        store.EntrySkipped += (_, entry) => skipped.Add(Path.GetFileName(entry.Entry));
        Assert.Equal(["a"], store.Keys());
        Assert.Equal(["MF______", "ORSXG5BP", "me______", "readme.txt"], skipped.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Names_round_trip_and_a_reserved_windows_name_gets_the_originals_underscore()
    {
        foreach (var (key, name) in Fixture)
        {
            Assert.Equal(name, Base32FileNames.ToName(key));
            Assert.Equal(key, Base32FileNames.ToKey(name));
        }
        // The original's rule, applied before decoding: "_" + a reserved name stands for that name.
        Assert.Null(Base32FileNames.ToKey("_ME______"));
    }

    [Fact]
    public void The_safefs_url_opens_the_layout()
    {
        File.WriteAllText(_dir.File("ME______"), "x");
        using var store = StoreUrl.Open("safefs://" + _dir.Path, StoreAccess.Read);
        Assert.IsType<SafeFilesystemStore>(store);
        Assert.Equal(["a"], store.Keys());
    }

    public void Dispose() => _dir.Dispose();
}
