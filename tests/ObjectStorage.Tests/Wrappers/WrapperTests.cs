using System.IO.Compression;
using ObjectStorage.Tests.Conformance;
using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Wrappers;

public sealed class WrapperTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task PrefixStore_keeps_its_keys_under_the_prefix_and_strips_it_from_listings(Api api)
    {
        var inner = new DictStore();
        inner.Put("other/x", [9]);
        inner.Put("tenant", [9]);
        var store = new StoreApi(new PrefixStore(inner, "tenant"), api);
        await store.Put("a/b", [1]);
        Assert.Equal([1], inner.Get("tenant/a/b"));
        Assert.Equal(["a/b"], await store.Keys());
        Assert.Equal(["a/b"], (await store.List("a/")).Select(i => i.Key));
        Assert.Equal("a/b", (await store.Stat("a/b"))!.Key);
        Assert.False(await store.Exists("x"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("/")]
    [InlineData("a\0b")]
    public void PrefixStore_refuses_a_prefix_that_is_not_whole_key_segments(string prefix)
    {
        Assert.Throws<InvalidKeyException>(() => new PrefixStore(new DictStore(), prefix));
    }

    [Fact]
    public void PrefixStore_takes_the_prefix_with_or_without_its_trailing_slash()
    {
        Assert.Equal("a/b/", new PrefixStore(new DictStore(), "a/b").Prefix);
        Assert.Equal("a/b/", new PrefixStore(new DictStore(), "a/b/").Prefix);
    }

    [Fact]
    public void ReadOnlyStore_says_it_cannot_write_and_leaves_the_inner_store_alone()
    {
        var inner = new DictStore();
        inner.Put("k", [1]);
        var store = new ReadOnlyStore(inner);
        Assert.False(store.CanWrite || store.CanDelete || store.CanPutIfNotExists);
        Assert.Throws<NotSupportedException>(() => store.Put("k", [2]));
        Assert.Throws<NotSupportedException>(() => store.Delete("k"));
        Assert.Equal([1], store.Get("k"));
        Assert.Equal([1], inner.Get("k"));
    }

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task GzipStore_stores_plain_gzip_and_reports_the_uncompressed_size(Api api)
    {
        var inner = new DictStore();
        var store = new StoreApi(new GzipStore(inner), api);
        var text = System.Text.Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("compressible text ", 1000)));
        await store.Put("bytes", text);
        await store.Put("stream", new MemoryStream(text));

        foreach (var key in new[] { "bytes", "stream" })
        {
            var stored = inner.Get(key);
            Assert.Equal([0x1f, 0x8b], stored[..2]);
            Assert.True(stored.Length < text.Length / 10, $"{key}: {stored.Length} bytes stored for {text.Length}");
            using var gunzip = new GZipStream(new MemoryStream(stored), CompressionMode.Decompress);
            using var plain = new MemoryStream();
            gunzip.CopyTo(plain);
            Assert.Equal(text, plain.ToArray());
            Assert.Equal(text.Length, (await store.Stat(key))!.Size);
            Assert.Equal(text, await store.Get(key));
        }
        Assert.All(await store.List(), i => Assert.Equal(text.Length, i.Size));
    }

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task GzipStore_reports_an_inner_object_that_is_not_gzip(Api api)
    {
        var inner = new DictStore();
        inner.Put("plain", [1, 2, 3]);
        var store = new StoreApi(new GzipStore(inner), api);
        var ex = await Assert.ThrowsAsync<ObjectStoreException>(() => store.Get("plain"));
        Assert.Contains("not valid gzip", ex.Message);
        await using var stream = await store.OpenRead("plain");
        Assert.Contains("not valid gzip", (await Assert.ThrowsAsync<ObjectStoreException>(() => stream.ReadAsync(new byte[10], Ct).AsTask())).Message);
        Assert.Throws<ObjectStoreException>(() => stream.ReadByte());
    }

    [Fact]
    public void GzipStore_reports_the_size_of_an_object_too_large_for_the_gzip_trailer_from_its_size_record()
    {
        // Over 4,000,000 compressed bytes the trailer's 32-bit length could have wrapped; the size record's 64 bits cannot.
        var inner = new DictStore();
        var store = new GzipStore(inner, CompressionLevel.NoCompression);
        store.Put("big", new PatternStream(4_100_000));
        Assert.True(inner.Stat("big")!.Size > 4_000_000);
        Assert.Equal(4_100_000, store.Stat("big")!.Size);
    }

    [Fact]
    public async Task Wrappers_forward_the_async_side_to_the_inner_async_side()
    {
        var inner = new FaultyStore(new DictStore());
        var store = new PrefixStore(inner, "p");
        await store.PutAsync("k", new byte[] { 1 }, Ct);
        await store.GetAsync("k", Ct);
        await store.ExistsAsync("k", Ct);
        await foreach (var _ in store.KeysAsync("", Ct)) { }
        await store.DeleteAsync("k", Ct);
        foreach (var op in new[] { StoreOp.Put, StoreOp.Get, StoreOp.Exists, StoreOp.List, StoreOp.Delete })
            Assert.Equal((op, 1), (op, inner.AsyncCalls(op)));
    }

    [Fact]
    public void Wrappers_dispose_the_inner_store_unless_left_open()
    {
        var owned = new DictStore();
        new GzipStore(owned).Dispose();
        Assert.True(owned.IsDisposed);
        var kept = new DictStore();
        new ReadOnlyStore(kept, leaveOpen: true).Dispose();
        Assert.False(kept.IsDisposed);
    }
}
