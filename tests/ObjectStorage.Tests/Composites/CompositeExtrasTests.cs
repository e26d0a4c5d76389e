using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Composites;

/// <summary>What the composites do with the extras: each reaches every store it must, and claims only what all of them can.</summary>
public sealed class CompositeExtrasTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static KeyValuePair<string, ReadOnlyMemory<byte>> Object(string key, params byte[] data) => KeyValuePair.Create(key, (ReadOnlyMemory<byte>)data);

    [Fact]
    public async Task CachingStore_batch_writes_reach_the_main_store_and_leave_the_cache_without_those_keys()
    {
        var main = new DictStore();
        var cache = new DictStore();
        using var store = new CachingStore(main, cache);
        store.Put("a", [1]);
        store.Put("b", [2]);
        Assert.Equal(2, cache.Count);

        store.PutMany([Object("a", 10), Object("c", 30)]);
        Assert.Equal([10], main.Get("a"));
        Assert.False(cache.Exists("a"));
        Assert.Equal([10], store.Get("a"));

        Assert.Equal(2, await store.DeleteManyAsync(["a", "b"], Ct));
        Assert.Equal(["c"], main.Keys());
        Assert.Empty(cache.Keys());

        store.Get("c");
        Assert.Equal(1, store.DeletePrefix(""));
        Assert.Equal(0, main.Count + cache.Count);
    }

    [Fact]
    public void CachingStore_reads_a_range_from_the_cache_on_a_hit_and_from_the_main_store_on_a_miss_without_filling()
    {
        var main = new DictStore();
        var cache = new DictStore();
        using var store = new CachingStore(main, cache);
        main.Put("k", [0, 1, 2, 3]);

        using (var miss = store.OpenRead("k", 1, 2)) Assert.Equal(2, miss.Length);
        Assert.False(cache.Exists("k"));
        store.Get("k");
        using (var hit = store.OpenRead("k", 3)) Assert.Equal(1, hit.Length);
        Assert.Equal(1, store.Hits);
        Assert.Equal(2, store.Misses);
        Assert.True(store.IsRangeReadNative);
        Assert.False(store.CanPresign);
    }

    [Fact]
    public void CachingStore_Clear_empties_the_cache_with_its_prefix_delete()
    {
        var cache = new DictStore();
        using var store = new CachingStore(new DictStore(), cache);
        for (int i = 0; i < 5; i++) store.Put($"k{i}", [1]);
        store.Clear();
        Assert.Equal(0, cache.Count);
        Assert.Equal(5, store.Keys().Count());
    }

    [Fact]
    public async Task FanoutStore_batches_reach_every_child_and_ranges_come_from_the_first_that_has_the_key()
    {
        var first = new DictStore();
        var second = new DictStore();
        using var store = new FanoutStore(first, second);
        await store.PutManyAsync([Object("a", 1, 2, 3), Object("b", 4)], Ct);
        Assert.Equal(["a", "b"], first.Keys());
        Assert.Equal(["a", "b"], second.Keys());

        second.Put("only-second", [7, 8, 9]);
        using (var range = store.OpenRead("only-second", 2)) Assert.Equal(9, range.ReadByte());

        Assert.Equal(1, store.DeleteMany(["a"]));
        Assert.False(first.Exists("a") || second.Exists("a"));
        Assert.Equal(2, await store.DeletePrefixAsync("", Ct));
        Assert.Equal(0, first.Count + second.Count);
        Assert.False(store.IsPutManyAtomic);
        Assert.False(store.CanPresign);
    }

    [Fact]
    public void FanoutStore_claims_a_native_extra_only_when_every_child_has_it()
    {
        using var sqlite = new TempDirectory("fanout-flags");
        using var db = new SqliteStore(sqlite.File("f.db"));
        using var both = new FanoutStore([new DictStore(), db], new FanoutOptions { OwnsChildren = false });
        Assert.True(both.IsRangeReadNative);
        Assert.False(both.IsDeleteManyNative);
        using var withAsyncOnly = new FanoutStore(new DictStore(), new AsyncOnlyStore());
        Assert.False(withAsyncOnly.IsRangeReadNative);
    }
}
