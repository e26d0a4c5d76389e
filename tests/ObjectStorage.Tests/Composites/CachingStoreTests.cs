using ObjectStorage.Tests.Conformance;
using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Composites;

public sealed class CachingStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task A_miss_reads_main_and_fills_the_cache_so_the_next_read_is_a_hit(Api api)
    {
        var main = new FaultyStore(new DictStore());
        var cache = new DictStore();
        main.Put("k", [1, 2, 3]);
        var caching = new CachingStore(main, cache);
        var store = new StoreApi(caching, api);

        Assert.Equal([1, 2, 3], await store.Get("k"));
        Assert.Equal([1, 2, 3], cache.Get("k"));
        Assert.Equal([1, 2, 3], await store.Get("k"));
        await using (var stream = await store.OpenRead("k")) Assert.Equal(1, stream.ReadByte());

        Assert.Equal(1, main.Calls(StoreOp.Get));
        Assert.Equal((2L, 1L), (caching.Hits, caching.Misses));
        Assert.Null(await store.TryGet("absent"));
        Assert.False(cache.Exists("absent"));
        Assert.Equal(2, caching.Misses);
    }

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task Writes_go_to_main_then_cache_and_deletes_remove_from_both(Api api)
    {
        DictStore main = new(), cache = new();
        var store = new StoreApi(new CachingStore(main, cache), api);
        await store.Put("k", [1]);
        Assert.Equal([1], main.Get("k"));
        Assert.Equal([1], cache.Get("k"));

        await store.Put("streamed", new MemoryStream([2]));
        Assert.Equal([2], main.Get("streamed"));
        Assert.False(cache.Exists("streamed"));

        await store.Delete("k");
        Assert.False(main.Exists("k"));
        Assert.False(cache.Exists("k"));
    }

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task A_failing_main_store_changes_nothing_and_reads_still_see_the_old_bytes(Api api)
    {
        var main = new FaultyStore(new DictStore());
        var cache = new DictStore();
        var store = new StoreApi(new CachingStore(main, cache), api);
        await store.Put("k", [1]);
        main.FailOn(StoreOp.Put).FailOn(StoreOp.Delete);

        var ex = await Assert.ThrowsAsync<ObjectStoreException>(() => store.Put("k", [2]));
        Assert.Contains("injected fault", ex.Message);
        await Assert.ThrowsAsync<ObjectStoreException>(() => store.Delete("k"));

        // The cache dropped the key before the main store was asked, so the next read goes there.
        Assert.False(cache.Exists("k"));
        Assert.Equal([1], await store.Get("k"));
    }

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task A_cache_that_cannot_drop_the_key_stops_the_write_before_the_main_store(Api api)
    {
        var main = new DictStore();
        var cache = new FaultyStore(new DictStore());
        var store = new StoreApi(new CachingStore(main, cache), api);
        await store.Put("k", [1]);
        cache.FailOn(StoreOp.Delete);

        var ex = await Assert.ThrowsAsync<ObjectStoreException>(() => store.Put("k", [2]));

        Assert.Contains("was not changed", ex.Message);
        Assert.Equal([1], main.Get("k"));
    }

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task A_cache_failing_after_main_took_the_write_drops_the_entry_and_says_so(Api api)
    {
        var main = new DictStore();
        var cache = new FaultyStore(new DictStore());
        var store = new StoreApi(new CachingStore(main, cache), api);
        await store.Put("k", [1]);
        cache.FailOn(StoreOp.Put);

        var ex = await Assert.ThrowsAsync<ObjectStoreException>(() => store.Put("k", [2]));

        Assert.Contains("took the change", ex.Message);
        Assert.Contains("removed from the cache", ex.Message);
        Assert.Equal([2], main.Get("k"));
        Assert.False(cache.Exists("k"));
        cache.Heal();
        Assert.Equal([2], await store.Get("k"));
    }

    [Fact]
    public void A_cache_that_can_neither_write_nor_clean_says_it_may_be_stale()
    {
        var cache = new FaultyStore(new DictStore());
        var caching = new CachingStore(new DictStore(), cache);
        caching.Put("k", [1]);
        // The second put's first delete (dropping the key before the write) still works; the put of
        // the new bytes and the delete that would clean up after it fail.
        cache.FailOn(StoreOp.Put).FailOn(StoreOp.Delete, after: 2);
        var ex = Assert.Throws<ObjectStoreException>(() => caching.Put("k", [2]));
        Assert.Contains("may still hold the previous object", ex.Message);
    }

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task A_failing_cache_read_is_reported(Api api)
    {
        var main = new DictStore();
        main.Put("k", [1]);
        var cache = new FaultyStore(new DictStore()).FailOn(StoreOp.Get);
        var ex = await Assert.ThrowsAsync<ObjectStoreException>(() => new StoreApi(new CachingStore(main, cache), api).Get("k"));
        Assert.Contains("injected fault", ex.Message);
    }

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task Invalidate_and_Clear_send_reads_back_to_main(Api api)
    {
        DictStore main = new(), cache = new();
        var caching = new CachingStore(main, cache);
        var store = new StoreApi(caching, api);
        await store.Put("a", [1]);
        await store.Put("b", [1]);
        main.Put("a", [2]); // behind the cache's back
        main.Put("b", [2]);
        Assert.Equal([1], await store.Get("a"));

        if (api == Api.Sync) caching.Invalidate("a");
        else await caching.InvalidateAsync("a", Ct);
        Assert.Equal([2], await store.Get("a"));
        Assert.Equal([1], await store.Get("b"));

        if (api == Api.Sync) caching.Clear();
        else await caching.ClearAsync(Ct);
        Assert.Equal(0, cache.Count);
        Assert.Equal([2], await store.Get("b"));
        Assert.Throws<InvalidKeyException>(() => caching.Invalidate("a\0b"));
    }

    [Fact]
    public void Exists_is_cache_or_main_and_listings_and_Stat_come_from_main()
    {
        DictStore main = new(), cache = new();
        cache.Put("only/cached", [1]);
        main.Put("only/main", [1, 2]);
        var caching = new CachingStore(main, cache);
        Assert.True(caching.Exists("only/cached"));
        Assert.True(caching.Exists("only/main"));
        Assert.Equal(["only/main"], caching.Keys());
        Assert.Null(caching.Stat("only/cached"));
        Assert.Equal(2, caching.Stat("only/main")!.Size);
    }

    [Fact]
    public void A_bounded_cache_keeps_the_most_recently_used_objects()
    {
        var main = new FaultyStore(new DictStore());
        var cache = new DictStore(capacityBytes: 300);
        var caching = new CachingStore(main, cache);
        foreach (var key in new[] { "a", "b", "c" }) caching.Put(key, TestData.Bytes(100));
        caching.Get("a");             // a is now the most recently used
        caching.Put("d", TestData.Bytes(100));
        Assert.Equal(["a", "c", "d"], cache.Keys());
        Assert.Equal(300, cache.Bytes);

        caching.Get("b");             // a miss, served by main and cached again
        Assert.Equal(1, main.Calls(StoreOp.Get));
        Assert.Equal(["a", "b", "d"], cache.Keys());
    }

    [Fact]
    public void Objects_larger_than_a_bounded_cache_pass_through_uncached()
    {
        var cache = new DictStore(capacityBytes: 1000);
        var caching = new CachingStore(new DictStore(), cache);
        caching.Put("big", TestData.Bytes(1001));
        caching.Put("small", TestData.Bytes(10));
        Assert.Equal(TestData.Bytes(1001), caching.Get("big"));
        Assert.Equal(["small"], cache.Keys());

        var limited = new CachingStore(new DictStore(), new DictStore(), new CachingOptions { MaxObjectBytes = 5 });
        limited.Put("six", new byte[6]);
        Assert.False(limited.Cache.Exists("six"));
    }

    [Fact]
    public async Task A_read_through_fill_racing_a_put_never_leaves_the_old_object_cached()
    {
        var main = new DictStore();
        main.Put("k", [1]);
        using var fillStarted = new SemaphoreSlim(0);
        using var releaseFill = new SemaphoreSlim(0);
        int cachePuts = 0;
        // The first cache put is the reader's fill of the old object: hold it until the writer is done.
        var cache = new FaultyStore(new DictStore()).Before(StoreOp.Put, _ =>
        {
            if (Interlocked.Increment(ref cachePuts) != 1) return;
            fillStarted.Release();
            releaseFill.Wait(Ct);
        });
        var caching = new CachingStore(main, cache);

        var reader = Task.Run(() => caching.Get("k"), Ct);
        await fillStarted.WaitAsync(Ct);
        caching.Put("k", [2]);
        releaseFill.Release();

        Assert.Equal([1], await reader);
        Assert.Equal([2], caching.Get("k"));
        Assert.Equal([2], cache.TryGet("k", out var cached) ? cached : [2]);
    }

    [Fact]
    public async Task Overlapping_writes_never_leave_the_earlier_object_cached()
    {
        var main = new DictStore();
        using var firstInCache = new SemaphoreSlim(0);
        using var releaseFirst = new SemaphoreSlim(0);
        // Writer A reaches main first but its cache put is held until writer B has finished.
        var cache = new FaultyStore(new DictStore()).Before(StoreOp.Put, _ =>
        {
            firstInCache.Release();
            releaseFirst.Wait(Ct);
        }, key => key == "k" && Thread.CurrentThread.Name == "A");
        var caching = new CachingStore(main, cache);

        var a = new Thread(() => caching.Put("k", [1])) { Name = "A" };
        a.Start();
        await firstInCache.WaitAsync(Ct);
        caching.Put("k", [2]);
        releaseFirst.Release();
        a.Join();

        Assert.Equal(main.Get("k"), caching.Get("k"));
    }

    [Fact]
    public async Task Disposing_disposes_both_stores_only_when_it_owns_them()
    {
        DictStore main = new(), cache = new();
        new CachingStore(main, cache).Dispose();
        Assert.True(main.IsDisposed && cache.IsDisposed);
        DictStore main2 = new(), cache2 = new();
        await new CachingStore(main2, cache2, new CachingOptions { OwnsStores = false }).DisposeAsync();
        Assert.False(main2.IsDisposed || cache2.IsDisposed);
        Assert.Throws<ArgumentException>(() => new CachingStore(new DictStore(), new ReadOnlyStore(new DictStore())));
    }
}
