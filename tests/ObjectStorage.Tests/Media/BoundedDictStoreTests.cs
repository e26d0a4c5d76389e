using ObjectStorage.Tests.Conformance;
using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Media;

public sealed class BoundedDictStoreTests
{
    [Fact]
    public void The_least_recently_used_objects_are_evicted_to_make_room()
    {
        var store = new DictStore(capacityBytes: 250);
        store.Put("a", new byte[100]);
        store.Put("b", new byte[100]);
        using (store.OpenRead("a")) { }      // a is now more recent than b
        store.Put("c", new byte[50]);
        Assert.Equal(["a", "b", "c"], store.Keys());
        store.Put("d", new byte[1]);          // 251 bytes: b goes
        Assert.Equal(["a", "c", "d"], store.Keys());
        Assert.Equal(151, store.Bytes);
    }

    [Fact]
    public void Overwrites_and_deletes_keep_the_byte_count_exact()
    {
        var store = new DictStore(capacityBytes: 1000);
        store.Put("a", new byte[300]);
        store.Put("a", new byte[100]);
        Assert.Equal(100, store.Bytes);
        Assert.True(store.PutIfNotExists("b", new byte[50]));
        Assert.False(store.PutIfNotExists("b", new byte[900]));
        Assert.Equal(150, store.Bytes);
        store.Delete("a");
        store.Delete("a");
        Assert.Equal(50, store.Bytes);
        Assert.Equal(1, store.Count);
    }

    [Fact]
    public void An_object_larger_than_the_whole_capacity_is_refused_and_evicts_nothing()
    {
        var store = new DictStore(capacityBytes: 100);
        store.Put("kept", new byte[60]);
        var ex = Assert.Throws<ObjectStoreException>(() => store.Put("huge", new byte[101]));
        Assert.Contains("capacity", ex.Message);
        Assert.Equal(["kept"], store.Keys());
        Assert.Throws<ObjectStoreException>(() => store.Put("huge", new MemoryStream(new byte[101])));
    }

    [Fact]
    public void An_unbounded_store_tracks_no_capacity()
    {
        var store = new DictStore();
        store.Put("a", new byte[10]);
        Assert.Null(store.Capacity);
        Assert.Equal(0, store.Bytes);
        Assert.Throws<ArgumentOutOfRangeException>(() => new DictStore(capacityBytes: 0));
    }

    [Fact]
    public async Task Concurrent_use_never_exceeds_the_capacity_and_counts_exactly()
    {
        var store = new DictStore(capacityBytes: 10_000);
        await Task.WhenAll(Enumerable.Range(0, 4).Select(w => Task.Run(() =>
        {
            var random = new Random(w);
            for (int i = 0; i < 2000; i++)
            {
                var key = $"k{random.Next(64)}";
                switch (random.Next(4))
                {
                    case 0: store.Delete(key); break;
                    case 1: store.TryGet(key, out _); break;
                    default: store.Put(key, new byte[random.Next(1, 900)]); break;
                }
                Assert.True(store.Bytes <= 10_000);
            }
        }, TestContext.Current.CancellationToken)));
        Assert.Equal(store.List().Sum(i => i.Size), store.Bytes);
    }
}

public sealed class BoundedDictStoreConformance : StoreConformance
{
    // Large enough that nothing the suite writes is evicted: this runs the LRU bookkeeping under every behaviour.
    protected override ObjectStore CreateStore() => new DictStore(capacityBytes: 128L << 20);
}
