namespace ObjectStorage.Tests.Conformance;

public abstract partial class StoreConformance
{
    [Fact]
    public async Task Async_members_honour_a_cancelled_token_and_change_nothing()
    {
        RequireWrite();
        Writer.Put("kept", [1]);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var token = cts.Token;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Store.GetAsync("kept", token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Store.TryGetAsync("kept", token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Store.OpenReadAsync("kept", token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Store.ExistsAsync("kept", token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Store.StatAsync("kept", token));
        if (Store.CanWrite)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Store.PutAsync("new", new byte[] { 2 }, token));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Store.PutAsync("new2", new MemoryStream([2]), token));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Store.PutAsync("kept", new byte[] { 9 }, token));
        }
        if (Store.CanDelete)
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Store.DeleteAsync("kept", token));
        if (Store.CanList)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => { await foreach (var _ in Store.KeysAsync("", token)) { } });
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => { await foreach (var _ in Store.ListAsync("", token)) { } });
        }
        Assert.Equal([1], Store.Get("kept"));
        Assert.False(Store.Exists("new"));
        Assert.False(Store.Exists("new2"));
    }

    [Fact]
    public async Task Listing_stops_when_cancelled_part_way()
    {
        RequireWrite();
        RequireList();
        for (int i = 0; i < 20; i++) Writer.Put($"c/{i:D2}", [1]);
        using var cts = new CancellationTokenSource();
        int seen = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in Store.KeysAsync("c/", cts.Token))
                if (++seen == 3) await cts.CancelAsync();
        });
        Assert.Equal(3, seen);
    }

    [Fact]
    public async Task Use_after_dispose_throws_ObjectDisposed()
    {
        Store.Dispose();
        Store.Dispose();
        await Store.DisposeAsync();
        Assert.True(Store.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => Store.Get("k"));
        Assert.Throws<ObjectDisposedException>(() => Store.Exists("k"));
        Assert.Throws<ObjectDisposedException>(() => Store.Stat("k"));
        Assert.Throws<ObjectDisposedException>(() => Store.OpenRead("k"));
        Assert.Throws<ObjectDisposedException>(() => Store.Put("k", new byte[] { 1 }));
        Assert.Throws<ObjectDisposedException>(() => Store.Delete("k"));
        Assert.Throws<ObjectDisposedException>(() => Store.Keys());
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await Store.GetAsync("k", Ct));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await Store.PutAsync("k", new byte[] { 1 }, Ct));
        Assert.Throws<ObjectDisposedException>(() => Store.ListAsync("", Ct));
    }

    [Fact]
    public async Task Operations_the_store_cannot_do_throw_NotSupported_naming_store_and_operation()
    {
        var name = Store.ToString()!;
        if (!Store.CanWrite)
        {
            var ex = Assert.Throws<NotSupportedException>(() => Store.Put("k", new byte[] { 1 }));
            Assert.Contains(name, ex.Message);
            Assert.Contains("Put", ex.Message);
            await Assert.ThrowsAsync<NotSupportedException>(async () => await Store.PutAsync("k", new MemoryStream([1]), Ct));
        }
        if (!Store.CanDelete)
            Assert.Contains("Delete", Assert.Throws<NotSupportedException>(() => Store.Delete("k")).Message);
        if (!Store.CanList)
            Assert.Contains(name, Assert.Throws<NotSupportedException>(() => Store.Keys()).Message);
        Assert.SkipWhen(Store.CanWrite && Store.CanDelete && Store.CanList, $"{name} can write, delete and list: nothing to refuse");
    }
}
