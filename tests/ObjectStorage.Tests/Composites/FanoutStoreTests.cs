using ObjectStorage.Tests.Conformance;
using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Composites;

public sealed class FanoutStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task Put_and_Delete_reach_every_child(Api api)
    {
        DictStore a = new(), b = new(), c = new();
        var fanout = new StoreApi(new FanoutStore(a, b, c), api);
        await fanout.Put("k", [1, 2]);
        await fanout.Put("s", new MemoryStream([3]));
        Assert.All(new[] { a, b, c }, child => Assert.Equal([1, 2], child.Get("k")));
        Assert.All(new[] { a, b, c }, child => Assert.Equal([3], child.Get("s")));
        await fanout.Delete("k");
        Assert.All(new[] { a, b, c }, child => Assert.False(child.Exists("k")));
    }

    [Fact]
    public async Task The_async_side_writes_to_the_children_concurrently()
    {
        // Each child's put waits until the other child's put has started: done one after another, the
        // first would give up (after a generous bound, so a regression fails instead of hanging).
        using var firstStarted = new SemaphoreSlim(0);
        using var secondStarted = new SemaphoreSlim(0);
        static void AwaitOther(SemaphoreSlim other)
        {
            if (!other.Wait(TimeSpan.FromSeconds(30), Ct)) throw new TimeoutException("the other child's put never started");
        }
        var first = new FaultyStore(new DictStore()).Before(StoreOp.Put, _ => { firstStarted.Release(); AwaitOther(secondStarted); });
        var second = new FaultyStore(new DictStore()).Before(StoreOp.Put, _ => { secondStarted.Release(); AwaitOther(firstStarted); });
        await new FanoutStore(first, second).PutAsync("k", new byte[] { 1 }, Ct);
        Assert.Equal([1], first.Get("k"));
        Assert.Equal([1], second.Get("k"));
    }

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task A_streamed_put_larger_than_memory_spooling_reaches_every_child(Api api)
    {
        DictStore a = new(), b = new();
        await new StoreApi(new FanoutStore(a, b), api).Put("big", new PatternStream(3 << 20));
        Assert.Null(PatternStream.Compare(a.OpenRead("big"), 3 << 20));
        Assert.Null(PatternStream.Compare(b.OpenRead("big"), 3 << 20));
    }

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task Reads_come_from_the_first_child_that_has_the_key_without_repair_by_default(Api api)
    {
        DictStore a = new(), b = new(), c = new();
        b.Put("k", [2]);
        c.Put("k", [3]);
        var fanout = new StoreApi(new FanoutStore(a, b, c), api);
        Assert.Equal([2], await fanout.Get("k"));
        Assert.True(await fanout.Exists("k"));
        Assert.Equal(1, (await fanout.Stat("k"))!.Size);
        Assert.False(a.Exists("k"));
    }

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task Read_repair_writes_the_object_to_the_earlier_children_that_missed_it(Api api)
    {
        DictStore a = new(), b = new(), c = new();
        c.Put("got", [7]);
        c.Put("opened", [8]);
        var fanout = new StoreApi(new FanoutStore([a, b, c], new FanoutOptions { ReadRepair = true }), api);

        Assert.Equal([7], await fanout.Get("got"));
        await using (var stream = await fanout.OpenRead("opened")) Assert.Equal(8, stream.ReadByte());

        Assert.Equal([7], a.Get("got"));
        Assert.Equal([7], b.Get("got"));
        Assert.Equal([8], a.Get("opened"));
        Assert.Equal([8], b.Get("opened"));
    }

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task Listing_is_the_ordered_union_without_duplicates_preferring_the_first_child(Api api)
    {
        DictStore a = new(), b = new(), c = new();
        a.Put("m", [1]);
        a.Put("z", [1]);
        b.Put("a", [1]);
        b.Put("m", [1, 1, 1]);
        c.Put("m/x", [1]);
        c.Put("a", [1]);
        var fanout = new StoreApi(new FanoutStore(a, b, c), api);
        Assert.Equal(["a", "m", "m/x", "z"], await fanout.Keys());
        var infos = await fanout.List();
        Assert.Equal(["a", "m", "m/x", "z"], infos.Select(i => i.Key));
        Assert.Equal(1, infos.Single(i => i.Key == "m").Size);
        Assert.Equal(["m", "m/x"], await fanout.Keys("m"));
    }

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task The_merge_follows_UTF8_byte_order_where_it_differs_from_UTF16(Api api)
    {
        DictStore a = new(), b = new();
        a.Put("z😀", [1]);
        a.Put("a/b", [1]);
        b.Put("z\uE000", [1]);
        b.Put("z\uFFFD", [1]);
        b.Put("a.b", [1]);
        b.Put("a0", [1]);
        Assert.Equal(["a.b", "a/b", "a0", "z\uE000", "z\uFFFD", "z😀"], await new StoreApi(new FanoutStore(a, b), api).Keys());
    }

    [Fact]
    public void Listing_is_streamed_a_merge_holds_only_the_head_of_each_child()
    {
        DictStore a = new(), b = new();
        for (int i = 0; i < 50; i++) (i % 2 == 0 ? a : b).Put($"k{i:D2}", [1]);
        using var fanout = new FanoutStore([a, new ListingThatFailsAfter(b, 3)], new FanoutOptions { OwnsChildren = false });
        using var keys = fanout.Keys().GetEnumerator();
        var seen = new List<string>();
        var ex = Assert.Throws<ObjectStoreException>(() => { while (keys.MoveNext()) seen.Add(keys.Current); });
        Assert.Equal(["k00", "k01", "k02", "k03", "k04", "k05"], seen);
        Assert.Contains("listing failed", ex.Message);
    }

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task A_put_that_fails_on_one_child_names_it_and_the_children_that_took_it(Api api)
    {
        DictStore a = new(), c = new();
        var broken = new FaultyStore(new DictStore()).FailOn(StoreOp.Put).FailOn(StoreOp.PutStream).FailOn(StoreOp.Delete);
        var store = new FanoutStore(a, broken, c);
        var fanout = new StoreApi(store, api);

        var ex = await Assert.ThrowsAsync<FanoutException>(() => fanout.Put("k", [1]));
        Assert.Equal(broken, Assert.Single(ex.Failures).Child);
        Assert.Equal([a, c], ex.Succeeded);
        Assert.Contains("FaultyStore", ex.Message);
        Assert.Contains("injected fault", ex.Message);
        Assert.Equal("k", ex.Key);
        Assert.Equal([1], a.Get("k"));
        Assert.Equal([1], c.Get("k"));

        var streamed = await Assert.ThrowsAsync<FanoutException>(() => fanout.Put("s", new MemoryStream([2])));
        Assert.Equal([a, c], streamed.Succeeded);
        Assert.Equal([2], c.Get("s"));

        var deleted = await Assert.ThrowsAsync<FanoutException>(() => fanout.Delete("k"));
        Assert.Equal([a, c], deleted.Succeeded);
        Assert.False(a.Exists("k"));
    }

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task A_child_failing_during_a_read_is_reported_not_skipped(Api api)
    {
        var a = new DictStore();
        var broken = new FaultyStore(new DictStore()).FailOn(StoreOp.Get);
        var c = new DictStore();
        c.Put("k", [3]);
        var fanout = new StoreApi(new FanoutStore(a, broken, c), api);
        var ex = await Assert.ThrowsAsync<FanoutException>(() => fanout.Get("k"));
        Assert.Equal(broken, Assert.Single(ex.Failures).Child);
        Assert.Equal([a], ex.Succeeded);
    }

    [Fact]
    public void A_failed_read_repair_is_reported_naming_where_the_object_was_read()
    {
        var broken = new FaultyStore(new DictStore()).FailOn(StoreOp.Put);
        var c = new DictStore();
        c.Put("k", [3]);
        var ex = Assert.Throws<FanoutException>(() => new FanoutStore([broken, c], new FanoutOptions { ReadRepair = true }).Get("k"));
        Assert.Contains("read repair", ex.Message);
        Assert.Equal(broken, Assert.Single(ex.Failures).Child);
    }

    [Fact]
    public async Task Disposing_disposes_the_children_only_when_it_owns_them()
    {
        DictStore a = new(), b = new();
        new FanoutStore(a, b).Dispose();
        Assert.True(a.IsDisposed && b.IsDisposed);

        DictStore c = new(), d = new();
        await new FanoutStore([c, d], new FanoutOptions { OwnsChildren = false }).DisposeAsync();
        Assert.False(c.IsDisposed || d.IsDisposed);
    }

    [Fact]
    public void Capabilities_are_those_every_child_has_and_never_create_only_put()
    {
        var writable = new FanoutStore(new DictStore(), new DictStore());
        Assert.True(writable.CanWrite && writable.CanDelete && writable.CanList);
        Assert.False(writable.CanPutIfNotExists);
        var mixed = new FanoutStore(new DictStore(), new ReadOnlyStore(new DictStore()));
        Assert.False(mixed.CanWrite);
        Assert.False(mixed.CanDelete);
        Assert.True(mixed.CanList);
        Assert.Throws<ArgumentException>(() => new FanoutStore());
    }

    // A child whose listing yields a few keys, then fails, so a test sees how far the merge read.
    private sealed class ListingThatFailsAfter(ObjectStore inner, int count) : WrapperStore(inner, leaveOpen: true)
    {
        protected override IEnumerable<string> KeysCore(string prefix)
        {
            int n = 0;
            foreach (var key in base.KeysCore(prefix))
            {
                if (n++ == count) throw Failure(null, "listing failed");
                yield return key;
            }
        }
    }
}
