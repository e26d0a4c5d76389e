using System.IO.Compression;
using System.Text;
using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Wrappers;

/// <summary>How each wrapper passes the extras (ranges, batches, presigned URLs) through to its inner store, or why it does not.</summary>
public sealed class WrapperExtrasTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static BucketStore NewBucketStore(string tag)
    {
        S3TestServer.S3rver.RequireEndpoint();
        return new BucketStore(S3TestServer.S3rver.Options(S3TestServer.NewPrefix(tag)));
    }

    [Fact]
    public async Task PrefixStore_over_a_BucketStore_presigns_the_prefixed_key()
    {
        using var bucket = NewBucketStore("prefix-presign");
        using var view = new PrefixStore(bucket, "tenant/7", leaveOpen: true);
        Assert.True(view.CanPresign);
        view.Put("doc.txt", Encoding.UTF8.GetBytes("hello"));
        using var http = new HttpClient();

        var get = view.PresignGetUrl("doc.txt", TimeSpan.FromMinutes(5));
        Assert.EndsWith("/tenant/7/doc.txt", get.AbsolutePath, StringComparison.Ordinal);
        Assert.Equal("hello", await http.GetStringAsync(get, Ct));

        var put = await view.PresignPutUrlAsync("up.bin", TimeSpan.FromMinutes(5), Ct);
        using var response = await http.PutAsync(put, new ByteArrayContent([1, 2, 3]), Ct);
        response.EnsureSuccessStatusCode();
        Assert.Equal([1, 2, 3], bucket.Get("tenant/7/up.bin"));
    }

    [Fact]
    public async Task ReadOnlyStore_over_a_BucketStore_presigns_GET_but_refuses_PUT()
    {
        using var bucket = NewBucketStore("readonly-presign");
        using var view = new ReadOnlyStore(bucket, leaveOpen: true);
        bucket.Put("k", [4, 5]);
        using var http = new HttpClient();

        Assert.Equal([4, 5], await http.GetByteArrayAsync(view.PresignGetUrl("k", TimeSpan.FromMinutes(5)), Ct));
        var refused = Assert.Throws<NotSupportedException>(() => view.PresignPutUrl("k", TimeSpan.FromMinutes(5)));
        Assert.Contains("ReadOnlyStore", refused.Message);
    }

    [Fact]
    public void ReadOnlyStore_refuses_batch_put_and_deletes_and_changes_nothing()
    {
        var inner = new DictStore();
        inner.Put("k", [1]);
        using var view = new ReadOnlyStore(inner);

        Assert.Throws<NotSupportedException>(() => view.PutMany([KeyValuePair.Create("k", (ReadOnlyMemory<byte>)new byte[] { 2 })]));
        Assert.Throws<NotSupportedException>(() => view.DeleteMany(["k"]));
        Assert.Throws<NotSupportedException>(() => view.DeletePrefix(""));
        Assert.Equal([1], inner.Get("k"));
        Assert.False(view.IsPutManyAtomic);
    }

    [Fact]
    public void PrefixStore_passes_batches_and_ranges_to_the_inner_store_under_its_prefix()
    {
        var inner = new DictStore();
        inner.Put("outside", [9]);
        using var view = new PrefixStore(inner, "p");
        Assert.True(view.IsRangeReadNative);

        view.PutMany([KeyValuePair.Create("a", (ReadOnlyMemory<byte>)new byte[] { 1, 2, 3, 4 }), KeyValuePair.Create("b", (ReadOnlyMemory<byte>)new byte[] { 5 })]);
        Assert.Equal(["outside", "p/a", "p/b"], inner.Keys());
        using (var range = view.OpenRead("a", 1, 2)) Assert.Equal(2, range.Length);
        Assert.Equal(1, view.DeleteMany(["a"]));
        Assert.Equal(1, view.DeletePrefix(""));
        Assert.Equal(["outside"], inner.Keys());
    }

    [Fact]
    public async Task GzipStore_reads_ranges_of_the_plain_bytes_and_stores_batches_compressed()
    {
        var inner = new DictStore();
        using var store = new GzipStore(inner);
        var data = TestData.Bytes(200_000, seed: 4);
        Assert.False(store.IsRangeReadNative);
        Assert.False(store.CanPresign);

        await store.PutManyAsync([KeyValuePair.Create("g", (ReadOnlyMemory<byte>)data)], Ct);
        await using var range = await store.OpenReadAsync("g", 150_000, 10, Ct);
        var got = new byte[10];
        await range.ReadExactlyAsync(got, Ct);
        Assert.Equal(data.AsSpan(150_000, 10).ToArray(), got);

        using var gunzip = new GZipStream(new MemoryStream(inner.Get("g")), CompressionMode.Decompress);
        using var plain = new MemoryStream();
        gunzip.CopyTo(plain);
        Assert.Equal(data, plain.ToArray());
    }
}
