using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Composites;

/// <summary>An async caller of a composite over async-native children never reaches a child's sync side (which would block a thread).</summary>
public sealed class AsyncPathTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Dictionary<string, Func<AsyncOnlyStore, AsyncOnlyStore, ObjectStore>> Composites = new()
    {
        ["fanout"] = (a, b) => new FanoutStore([a, b], new FanoutOptions { ReadRepair = true }),
        ["caching"] = (a, b) => new CachingStore(a, b),
        ["prefix"] = (a, _) => new PrefixStore(a, "p"),
        ["gzip"] = (a, _) => new GzipStore(a),
        ["readonly"] = (a, _) => new ReadOnlyStore(a),
    };

    public static TheoryData<string> Names() => new(Composites.Keys);

    [Theory, MemberData(nameof(Names))]
    public async Task Every_async_operation_stays_on_the_childrens_async_side(string composite)
    {
        AsyncOnlyStore a = new(), b = new();
        await using var store = Composites[composite](a, b);
        if (store.CanWrite)
        {
            await store.PutAsync("k", TestData.Bytes(10), Ct);
            await store.PutAsync("s", new MemoryStream(TestData.Bytes(3 << 20)), Ct);
        }
        else
        {
            await b.PutAsync("k", TestData.Bytes(10), Ct);
            await a.PutAsync("k", TestData.Bytes(10), Ct);
        }
        if (composite == "fanout") await a.DeleteAsync("k", Ct); // so that a read repairs it

        Assert.Equal(TestData.Bytes(10), await store.GetAsync("k", Ct));
        await using (var stream = await store.OpenReadAsync("k", Ct)) Assert.Equal(TestData.Sha256(TestData.Bytes(10)), TestData.Sha256(stream));
        Assert.True(await store.ExistsAsync("k", Ct));
        Assert.Equal(10, (await store.StatAsync("k", Ct))!.Size);
        await foreach (var _ in store.KeysAsync("", Ct)) { }
        await foreach (var _ in store.ListAsync("", Ct)) { }
        if (store.CanDelete) await store.DeleteAsync("k", Ct);
        await StoreSync.SyncAsync(store, new DictStore(), cancellationToken: Ct);

        Assert.Equal((0, 0), (a.SyncCalls, b.SyncCalls));
    }
}
