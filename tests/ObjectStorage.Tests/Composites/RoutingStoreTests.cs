using System.Text.RegularExpressions;
using ObjectStorage.Tests.Conformance;

namespace ObjectStorage.Tests.Composites;

public sealed class RoutingStoreTests
{
    private readonly DictStore _images = new();
    private readonly DictStore _logs = new();
    private readonly DictStore _rest = new();

    private RoutingStore Router() => new(
        [new StoreRoute(new Regex(@"images/"), _images), new StoreRoute(new Regex(@".*\.log$"), _logs), new StoreRoute(new Regex("images/old"), _logs)],
        _rest, leaveOpen: true);

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task Each_key_goes_to_the_first_route_that_matches_or_to_the_default(Api api)
    {
        var store = new StoreApi(Router(), api);
        await store.Put("images/old/a.png", [1]);
        await store.Put("app.log", [2]);
        await store.Put("notes.txt", [3]);
        await store.Put("x/images/b.png", [4]);
        Assert.Equal(["images/old/a.png"], _images.Keys());
        Assert.Equal(["app.log"], _logs.Keys());
        Assert.Equal(["notes.txt", "x/images/b.png"], _rest.Keys());
        Assert.Equal([2], await store.Get("app.log"));
    }

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task Listing_merges_the_stores_in_key_order_and_shows_only_keys_that_route_to_their_store(Api api)
    {
        _images.Put("images/a.png", [1]);
        _logs.Put("b.log", [2]);
        _rest.Put("c", [3]);
        _rest.Put("images/stray.png", [9]); // a read of it would go to _images, so it is not shown
        _logs.Put("a", [9]);
        var store = new StoreApi(Router(), api);
        Assert.Equal(["b.log", "c", "images/a.png"], await store.Keys());
        Assert.Equal(["images/a.png"], (await store.List("images/")).Select(i => i.Key));
        Assert.False(await store.Exists("a"));
    }

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task Batches_and_prefix_deletes_reach_each_keys_own_store(Api api)
    {
        var store = new StoreApi(Router(), api);
        await store.PutMany(("images/1", [1]), ("1.log", [2]), ("1", [3]));
        Assert.Equal(3, await store.DeleteMany("images/1", "1.log", "1"));
        Assert.Empty(_images.Keys().Concat(_logs.Keys()).Concat(_rest.Keys()));
    }

    [Fact]
    public void A_route_to_a_read_only_store_refuses_puts_naming_that_store_while_others_write()
    {
        var router = new RoutingStore([new StoreRoute(new Regex("archive/"), new ReadOnlyStore(_images))], _rest, leaveOpen: true);
        router.Put("new", [1]);
        var refused = Assert.Throws<NotSupportedException>(() => router.Put("archive/x", [1]));
        Assert.Contains("ReadOnlyStore", refused.Message);
    }

    [Fact]
    public void Disposing_the_router_disposes_each_store_once_even_when_it_serves_several_routes()
    {
        var shared = new DictStore();
        var router = new RoutingStore([new StoreRoute(new Regex("a"), shared), new StoreRoute(new Regex("b"), shared)], _rest);
        router.Dispose();
        Assert.True(shared.IsDisposed);
        Assert.True(_rest.IsDisposed);
    }
}
