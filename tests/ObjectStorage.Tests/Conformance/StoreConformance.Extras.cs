using System.Text;
using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Conformance;

// The extras behind the abstraction: ranged reads, batch put and delete, prefix delete and
// presigned URLs. Every store answers them, natively or through the base class's fallback, and
// every store gives the same answers at the edges.
public abstract partial class StoreConformance
{
    private static readonly byte[] Digits = Encoding.ASCII.GetBytes("0123456789");

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task Ranged_read_gives_the_bytes_in_the_range_and_no_more(Api api)
    {
        RequireWrite();
        await Write(api).Put("r", Digits);
        Assert.Equal("3456", await RangeOf(api, "r", 3, 4));
        Assert.Equal("0123456789", await RangeOf(api, "r", 0, null));
        Assert.Equal("3456789", await RangeOf(api, "r", 3, null));
        Assert.Equal("0", await RangeOf(api, "r", 0, 1));
        Assert.Equal("9", await RangeOf(api, "r", 9, 1));
    }

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task Ranged_read_past_the_end_gives_what_there_is_or_nothing(Api api)
    {
        RequireWrite();
        await Write(api).Put("r", Digits);
        await Write(api).Put("empty", []);
        Assert.Equal("789", await RangeOf(api, "r", 7, 100));
        Assert.Equal("", await RangeOf(api, "r", 10, null));
        Assert.Equal("", await RangeOf(api, "r", 10, 5));
        Assert.Equal("", await RangeOf(api, "r", 25, null));
        Assert.Equal("", await RangeOf(api, "r", 3, 0));
        Assert.Equal("", await RangeOf(api, "empty", 0, null));
        Assert.Equal("", await RangeOf(api, "empty", 0, 5));
    }

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task Ranged_read_of_a_missing_key_throws_KeyNotFound_however_empty_the_range(Api api)
    {
        await Assert.ThrowsAnyAsync<KeyNotFoundException>(() => On(api).OpenRead("absent", 0, 5));
        await Assert.ThrowsAnyAsync<KeyNotFoundException>(() => On(api).OpenRead("absent", 0, 0));
        await Assert.ThrowsAnyAsync<KeyNotFoundException>(() => On(api).OpenRead("absent", 3, null));
        Assert.Null(await On(api).TryOpenRead("absent", 2, 3));
    }

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task Ranged_read_refuses_a_negative_offset_or_length_naming_the_store(Api api)
    {
        var offset = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => On(api).OpenRead("r", -1, null));
        var length = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => On(api).TryOpenRead("r", 0, -1));
        Assert.Contains(Store.ToString()!, offset.Message);
        Assert.Contains("'r'", length.Message);
    }

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task Ranged_read_deep_in_a_large_object_matches_the_same_bytes_of_the_whole(Api api)
    {
        RequireWrite();
        var data = TestData.Bytes(1 << 20, seed: 11);
        await Write(api).Put("big", data);
        await using var stream = await On(api).OpenRead("big", 700_001, 70_000);
        Assert.Equal(data.AsSpan(700_001, 70_000).ToArray(), await ReadToEnd(api, stream));
    }

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task Batch_put_stores_every_object_and_an_empty_batch_is_allowed(Api api)
    {
        RequireStoreWrite();
        await On(api).PutMany(("m/1", [1]), ("m/2", [2, 2]), ("m/3", []));
        await On(api).PutMany();
        Assert.Equal([2, 2], await On(api).Get("m/2"));
        Assert.Empty(await On(api).Get("m/3"));
        Assert.Equal(3, (await KeysOfWriter(api, "m/")).Count);
    }

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task Batch_put_with_one_invalid_key_writes_nothing(Api api)
    {
        RequireStoreWrite();
        await Write(api).Put("kept", [1]);
        await Assert.ThrowsAsync<InvalidKeyException>(() => On(api).PutMany(("kept", [2]), ("fine", [3]), ("bad\0key", [4])));
        Assert.Equal([1], await On(api).Get("kept"));
        Assert.False(await On(api).Exists("fine"));
    }

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task Batch_delete_removes_the_keys_given_and_ignores_missing_ones(Api api)
    {
        RequireStoreDelete();
        foreach (var key in new[] { "d/a", "d/b", "d/c" }) await Write(api).Put(key, [1]);
        Assert.Equal(3, await On(api).DeleteMany("d/a", "d/c", "d/never"));
        Assert.False(await On(api).Exists("d/a"));
        Assert.True(await On(api).Exists("d/b"));
        Assert.False(await On(api).Exists("d/c"));
        Assert.Equal(0, await On(api).DeleteMany());
    }

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task Batch_delete_with_one_invalid_key_deletes_nothing(Api api)
    {
        RequireStoreDelete();
        await Write(api).Put("kept", [1]);
        await Assert.ThrowsAsync<InvalidKeyException>(() => On(api).DeleteMany("kept", "bad\0key"));
        Assert.True(await On(api).Exists("kept"));
    }

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task Prefix_delete_removes_exactly_the_keys_under_the_prefix_and_counts_them(Api api)
    {
        RequireStoreDelete();
        RequireList();
        foreach (var key in new[] { "x/1", "x/2", "x/3/deep", "xy", "y/1" }) await Write(api).Put(key, [1]);
        Assert.Equal(3, await On(api).DeletePrefix("x/"));
        Assert.Equal(["xy", "y/1"], await KeysOf(api));
        Assert.Equal(0, await On(api).DeletePrefix("x/"));
        Assert.Equal(2, await On(api).DeletePrefix(""));
        Assert.Empty(await KeysOf(api));
    }

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task Batch_put_and_deletes_are_refused_where_the_store_cannot_write(Api api)
    {
        Assert.SkipWhen(Store.CanWrite && Store.CanDelete, $"{Store} accepts puts and deletes");
        if (!Store.CanWrite) await AssertNamesStore(() => On(api).PutMany(("k", [1])));
        if (!Store.CanDelete)
        {
            await AssertNamesStore(() => On(api).DeleteMany("k"));
            await AssertNamesStore(() => On(api).DeletePrefix(""));
        }
    }

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task Presigned_GET_URL_serves_the_object_to_a_plain_HttpClient(Api api)
    {
        Assert.SkipUnless(Store.CanPresign, $"{Store} cannot presign (CanPresign is false)");
        RequireWrite();
        var data = TestData.Bytes(3000, seed: 5);
        await Write(api).Put("shared/doc 1.bin", data);
        var url = await On(api).PresignGetUrl("shared/doc 1.bin");
        using var http = new HttpClient();
        Assert.Equal(data, await http.GetByteArrayAsync(url, Ct));
    }

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task Presigned_PUT_URL_stores_what_a_plain_HttpClient_sends(Api api)
    {
        Assert.SkipUnless(Store.CanPresign, $"{Store} cannot presign (CanPresign is false)");
        if (!Store.CanWrite)
        {
            await AssertNamesStore(() => On(api).PresignPutUrl("uploaded"));
            return;
        }
        var url = await On(api).PresignPutUrl("uploaded/by url.bin");
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = new ByteArrayContent([7, 8, 9]) };
        foreach (var (name, value) in PresignedPutHeaders) request.Headers.Add(name, value);
        using var response = await http.SendAsync(request, Ct);
        response.EnsureSuccessStatusCode();
        Assert.Equal([7, 8, 9], await On(api).Get("uploaded/by url.bin"));
    }

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task Presigned_URLs_are_refused_naming_the_store_where_it_cannot_presign(Api api)
    {
        Assert.SkipWhen(Store.CanPresign, $"{Store} presigns");
        await AssertNamesStore(() => On(api).PresignGetUrl("k"));
        await AssertNamesStore(() => On(api).PresignPutUrl("k"));
    }

    private void RequireStoreWrite() => Assert.SkipUnless(Store.CanWrite, $"{Store} is read-only (its refusal is tested on its own)");

    private void RequireStoreDelete() => Assert.SkipUnless(Store.CanDelete, $"{Store} does not delete (its refusal is tested on its own)");

    private async Task<List<string>> KeysOfWriter(Api api, string prefix) => await Write(api).Keys(prefix);

    private async Task AssertNamesStore(Func<Task> operation)
    {
        var refused = await Assert.ThrowsAsync<NotSupportedException>(operation);
        Assert.Contains(Store.ToString()!, refused.Message);
    }

    private async Task<string> RangeOf(Api api, string key, long offset, long? length)
    {
        await using var stream = await On(api).OpenRead(key, offset, length);
        return Encoding.ASCII.GetString(await ReadToEnd(api, stream));
    }

    private static async Task<byte[]> ReadToEnd(Api api, Stream stream)
    {
        using var copy = new MemoryStream();
        if (api == Api.Sync) stream.CopyTo(copy);
        else await stream.CopyToAsync(copy, Ct);
        return copy.ToArray();
    }
}
