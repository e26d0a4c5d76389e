using ObjectStorage.Tests.Conformance;
using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Core;

/// <summary>The whole suite through the base class's sync-over-async bridge.</summary>
public sealed class AsyncOnlyStoreConformance : StoreConformance
{
    protected override ObjectStore CreateStore() => new AsyncOnlyStore();
}

/// <summary>A medium that implements nothing: every operation must refuse, not recurse.</summary>
internal sealed class EmptyStore : ObjectStore;

public sealed class BridgeTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Sync_members_of_an_async_only_store_do_not_deadlock_on_a_single_threaded_context()
    {
        using var context = new SingleThreadContext();
        using var store = new AsyncOnlyStore();
        var result = context.Run(() =>
        {
            store.Put("k", [1, 2, 3]);
            store.Put("s", new MemoryStream([4]));
            var keys = store.Keys().ToList();
            var info = store.Stat("k");
            var exists = store.Exists("k");
            using var stream = store.OpenRead("k");
            var created = store.PutIfNotExists("k", [9]);
            store.Delete("s");
            return (store.Get("k"), keys, info!.Size, exists, stream.Length, created, store.Exists("s"));
        });
        var (data, keys, size, exists, length, created, deletedExists) = await result.WaitAsync(Patience, Ct);
        Assert.Equal([1, 2, 3], data);
        Assert.Equal(["k", "s"], keys);
        Assert.Equal(3, size);
        Assert.True(exists);
        Assert.Equal(3, length);
        Assert.False(created);
        Assert.False(deletedExists);
    }

    [Fact]
    public async Task Blocking_naively_on_the_same_store_does_deadlock_so_the_test_above_can_fail()
    {
        using var context = new SingleThreadContext();
        using var store = new AsyncOnlyStore();
        var naive = context.Run(() => store.GetAsync("k", CancellationToken.None).AsTask().GetAwaiter().GetResult());
        await Assert.ThrowsAsync<TimeoutException>(() => naive.WaitAsync(TimeSpan.FromSeconds(1), Ct));
    }

    [Fact]
    public async Task Async_members_of_a_sync_only_store_complete_and_honour_cancellation()
    {
        using var store = new DictStore();
        await store.PutAsync("a", new byte[] { 1 }, Ct);
        Assert.Equal([1], await store.GetAsync("a", Ct));
        var keys = new List<string>();
        await foreach (var key in store.KeysAsync("", Ct)) keys.Add(key);
        Assert.Equal(["a"], keys);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.GetAsync("a", cancelled.Token));
    }

    [Fact]
    public async Task A_sync_medium_failure_arrives_in_the_returned_task_not_at_the_call()
    {
        // Found by the model-based test: the bridge used to throw on the caller's thread, so
        // `var task = store.PutAsync(...)` threw before the caller could await or combine it.
        using var store = new FailingStore();
        var put = store.PutAsync("k", new byte[] { 1 }, Ct);
        var get = store.GetAsync("k", Ct);
        var delete = store.DeleteAsync("k", Ct);
        var stat = store.StatAsync("k", Ct);
        await Assert.ThrowsAsync<IOException>(async () => await put);
        await Assert.ThrowsAsync<IOException>(async () => await get);
        await Assert.ThrowsAsync<IOException>(async () => await delete);
        await Assert.ThrowsAsync<IOException>(async () => await stat);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var late = store.PutAsync("k", new byte[] { 1 }, cancelled.Token);
        Assert.True(late.IsCanceled);
    }

    private sealed class FailingStore : DictStore
    {
        protected override byte[]? GetCore(string key) => throw new IOException("disk gone");
        protected override void PutCore(string key, ReadOnlyMemory<byte> data, PutOptions options) => throw new IOException("disk gone");
        protected override void DeleteCore(string key) => throw new IOException("disk gone");
        protected override ObjectInfo? StatCore(string key) => throw new IOException("disk gone");
    }

    [Fact]
    public async Task A_store_that_implements_neither_side_refuses_instead_of_recursing()
    {
        using var store = new EmptyStore();
        var ex = Assert.Throws<NotSupportedException>(() => store.Get("k"));
        Assert.Contains("EmptyStore", ex.Message);
        Assert.Contains("Get", ex.Message);
        Assert.Throws<NotSupportedException>(() => store.Put("k", [1]));
        Assert.Throws<NotSupportedException>(() => store.Put("k", new MemoryStream([1])));
        Assert.Throws<NotSupportedException>(() => store.Exists("k"));
        Assert.Throws<NotSupportedException>(() => store.OpenRead("k"));
        Assert.Throws<NotSupportedException>(() => store.Keys().ToList());
        await Assert.ThrowsAsync<NotSupportedException>(async () => await store.GetAsync("k", Ct));
        await Assert.ThrowsAsync<NotSupportedException>(async () => await store.ExistsAsync("k", Ct));
        await Assert.ThrowsAsync<NotSupportedException>(async () => await store.DeleteAsync("k", Ct));
        await Assert.ThrowsAsync<NotSupportedException>(async () => { await foreach (var _ in store.ListAsync("", Ct)) { } });
    }
}
