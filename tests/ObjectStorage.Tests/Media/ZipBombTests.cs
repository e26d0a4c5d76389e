using System.IO.Compression;
using System.Text;
using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Media;

/// <summary>Archive entries that expand far beyond their compressed size: refused before they are inflated.</summary>
public sealed class ZipBombTests : IDisposable
{
    private readonly TempDirectory _dir = new("zip-bomb");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void An_entry_past_the_expansion_ratio_is_refused_before_it_is_inflated_and_others_still_read()
    {
        var path = Archive(("bomb", new byte[256 << 20]), ("ok", [1, 2, 3]));
        using var store = new ZipStore(path, new ZipStoreOptions { Mode = ZipStoreMode.Read });
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        var refusals = new[]
        {
            Assert.Throws<ObjectStoreException>(() => store.Get("bomb")),
            Assert.Throws<ObjectStoreException>(() => store.OpenRead("bomb").Dispose()),
            Assert.Throws<ObjectStoreException>(() => store.OpenRead("bomb", 100, 10).Dispose()),
        };
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        Assert.All(refusals, ex =>
        {
            Assert.Equal("bomb", ex.Key);
            Assert.Equal(store.ToString(), ex.Store);
            Assert.Contains("decompression bomb", ex.Message);
        });
        Assert.True(allocated < 1 << 20, $"refusing allocated {allocated:N0} bytes");
        Assert.Equal(256 << 20, store.Stat("bomb")!.Size);
        Assert.Equal(["bomb", "ok"], store.Keys().ToList());
        Assert.Equal([1, 2, 3], store.Get("ok"));
    }

    [Fact]
    public void The_limits_are_options_and_URL_options()
    {
        var path = Archive(("zeros", new byte[8 << 20]), ("random", TestData.Bytes(3 << 20)));
        using (var trusting = new ZipStore(path, new ZipStoreOptions { Mode = ZipStoreMode.Read, MaxExpansionRatio = 2000 }))
            Assert.Equal(new byte[8 << 20], trusting.Get("zeros"));
        using (var bounded = new ZipStore(path, new ZipStoreOptions { Mode = ZipStoreMode.Read, MaxExpandedBytes = 2 << 20 }))
            Assert.Contains("MaxExpandedBytes", Assert.Throws<ObjectStoreException>(() => bounded.Get("random")).Message);
        using (var byUrl = StoreUrl.Open($"zip://{path}?mode=read&max_ratio=2000&max_expanded_mib=9"))
        {
            Assert.Equal(8 << 20, byUrl.Get("zeros").Length);
            Assert.Equal(3 << 20, byUrl.Get("random").Length);
        }
        using (var byUrl = StoreUrl.Open($"zip://{path}?mode=read&max_expanded_mib=2"))
            Assert.Throws<ObjectStoreException>(() => byUrl.Get("random"));
        Assert.Throws<StoreUrlException>(() => StoreUrl.Open($"zip://{path}?mode=read&max_ratio=0"));
    }

    // Entries compressed as hard as deflate can (a run of zeros about 1000:1), written without the store.
    private string Archive(params (string Name, byte[] Data)[] entries)
    {
        var path = _dir.File("archive.zip");
        using var file = File.Create(path);
        using var archive = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: false, Encoding.UTF8);
        foreach (var (name, data) in entries)
        {
            using var stream = archive.CreateEntry(name, CompressionLevel.SmallestSize).Open();
            stream.Write(data);
        }
        return path;
    }
}
