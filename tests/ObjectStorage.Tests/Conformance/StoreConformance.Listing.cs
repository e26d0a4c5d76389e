using System.Text;
using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Conformance;

public abstract partial class StoreConformance
{
    private static readonly string[] PrefixKeys = ["a/b", "ab/c", "abc", "b", "a/b2/c", "b/a"];

    // A file tree cannot hold "b" beside "b/a" (KeysMayNestUnderKeys is false): it gets the rest.
    private string[] PrefixKeysHeld => KeysMayNestUnderKeys ? PrefixKeys : PrefixKeys.Where(k => k != "b").ToArray();

    private async Task PutAll(Api api, IEnumerable<string> keys)
    {
        foreach (var key in keys) await Write(api).Put(key, Encoding.UTF8.GetBytes(key));
    }

    private static List<string> InUtf8Order(IEnumerable<string> keys) =>
        keys.OrderBy(k => Encoding.UTF8.GetBytes(k), Comparer<byte[]>.Create((x, y) => x.AsSpan().SequenceCompareTo(y))).ToList();

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task Keys_of_an_empty_store_are_empty(Api api)
    {
        RequireList();
        Assert.Empty(await KeysOf(api));
        Assert.Empty(await On(api).List());
    }

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task Keys_are_exactly_the_keys_put(Api api)
    {
        RequireWrite();
        RequireList();
        await PutAll(api, PrefixKeysHeld);
        Assert.Equal(InUtf8Order(PrefixKeysHeld), await KeysOf(api));
    }

    [Theory]
    [InlineData(Api.Sync, "a", new[] { "a/b", "a/b2/c", "ab/c", "abc" })]
    [InlineData(Api.Async, "a", new[] { "a/b", "a/b2/c", "ab/c", "abc" })]
    [InlineData(Api.Sync, "a/", new[] { "a/b", "a/b2/c" })]
    [InlineData(Api.Async, "a/b", new[] { "a/b", "a/b2/c" })]
    [InlineData(Api.Sync, "ab", new[] { "ab/c", "abc" })]
    [InlineData(Api.Async, "ab/", new[] { "ab/c" })]
    [InlineData(Api.Sync, "a/b2/c", new[] { "a/b2/c" })]
    [InlineData(Api.Async, "b", new[] { "b", "b/a" })]
    [InlineData(Api.Sync, "c", new string[0])]
    [InlineData(Api.Async, "zz/", new string[0])]
    public async Task Keys_filter_by_prefix_including_part_of_a_segment(Api api, string prefix, string[] expected)
    {
        RequireWrite();
        RequireList();
        await PutAll(api, PrefixKeysHeld);
        expected = expected.Intersect(PrefixKeysHeld).ToArray();
        Assert.Equal(expected, await KeysOf(api, prefix));
        Assert.Equal(expected, (await On(api).List(prefix)).Select(i => i.Key));
    }

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task Keys_come_in_UTF8_byte_order(Api api)
    {
        RequireWrite();
        RequireList();
        // '.' < '/' < '0' in bytes; U+E000 (EE 80 80) sorts before an emoji (F0 9F ...) in UTF-8 though not in UTF-16.
        string[] keys = ["a0", "a/b", "a.b", "z\uE000", "z😀", "z\uFFFD", "zA", "Zz", "é", "z~"];
        await PutAll(api, keys);
        var expected = InUtf8Order(keys);
        Assert.Equal(["Zz", "a.b", "a/b", "a0", "zA", "z~", "z\uE000", "z\uFFFD", "z😀", "é"], expected);
        Assert.Equal(expected, await KeysOf(api));
        Assert.Equal(expected, (await On(api).List()).Select(i => i.Key));
    }

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task List_reports_the_size_of_each_object(Api api)
    {
        RequireWrite();
        RequireList();
        await Write(api).Put("sz/0", []);
        await Write(api).Put("sz/1", TestData.Bytes(1));
        await Write(api).Put("sz/2", TestData.Bytes(70000));
        var infos = await On(api).List("sz/");
        Assert.Equal([("sz/0", 0L), ("sz/1", 1L), ("sz/2", 70000L)], infos.Select(i => (i.Key, i.Size)));
    }

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task Listing_does_not_show_deleted_keys(Api api)
    {
        RequireWrite();
        RequireDelete();
        RequireList();
        await PutAll(api, ["x/1", "x/2", "x/3"]);
        await Write(api).Delete("x/2");
        Assert.Equal(["x/1", "x/3"], await KeysOf(api));
    }

    [Fact]
    public async Task Listing_never_shows_an_in_progress_write()
    {
        RequireWrite();
        RequireList();
        Writer.Put("done", [1]);
        var gated = new GatedStream(TestData.Bytes(256 * 1024), gateAt: 100 * 1024);
        var put = Task.Run(() => Writer.Put("pending", gated), Ct);
        var reached = await Task.WhenAny(gated.Reached, put);
        Assert.True(reached == gated.Reached, $"the put ended before its stream was read: {put.Exception}");
        try
        {
            Assert.Equal(["done"], Store.Keys().ToList());
            Assert.Equal(["done"], Store.List().Select(i => i.Key).ToList());
            Assert.False(Store.Exists("pending"));
        }
        finally
        {
            gated.Release();
        }
        await put;
        Assert.Equal(["done", "pending"], Store.Keys().ToList());
        Assert.Equal(TestData.Bytes(256 * 1024), Store.Get("pending"));
    }

    [Fact]
    public async Task A_key_nested_under_another_key_is_held_or_refused_clearly()
    {
        RequireWrite();
        Writer.Put("n", [1]);
        if (KeysMayNestUnderKeys)
        {
            Writer.Put("n/child", [2]);
            Assert.Equal([1], Store.Get("n"));
            Assert.Equal([2], Store.Get("n/child"));
            if (Store.CanList) Assert.Equal(["n", "n/child"], Store.Keys().ToList());
            return;
        }
        // A medium's limit, so InvalidKeyException, naming the key.
        var ex = Assert.Throws<InvalidKeyException>(() => Writer.Put("n/child", [2]));
        Assert.Contains("n/child", ex.Message);
        Writer.Put("m/child", [3]);
        await Assert.ThrowsAsync<InvalidKeyException>(async () => await Writer.PutAsync("m", new byte[] { 4 }, Ct));
        Assert.Equal([1], Store.Get("n"));
        Assert.Equal([3], Store.Get("m/child"));
        Assert.False(Store.Exists("m"));
    }
}
