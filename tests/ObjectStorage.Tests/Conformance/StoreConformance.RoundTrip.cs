using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Conformance;

public abstract partial class StoreConformance
{
    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task Empty_object_round_trips(Api api)
    {
        RequireWrite();
        await Write(api).Put("empty", []);
        Assert.Empty(await On(api).Get("empty"));
        Assert.Equal(0, (await On(api).Stat("empty"))!.Size);
    }

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task All_256_byte_values_round_trip(Api api)
    {
        RequireWrite();
        await Write(api).Put("bytes/all", TestData.AllByteValues());
        Assert.Equal(TestData.AllByteValues(), await On(api).Get("bytes/all"));
    }

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task One_MiB_round_trips_through_bytes_and_streams(Api api)
    {
        RequireWrite();
        var data = TestData.Bytes(1 << 20, seed: 3);
        await Write(api).Put("mib/bytes", data);
        await Write(api).Put("mib/stream", new MemoryStream(data));
        Assert.Equal(data, await On(api).Get("mib/bytes"));
        await using var stream = await On(api).OpenRead("mib/stream");
        Assert.Equal(TestData.Sha256(data), TestData.Sha256(stream));
    }

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task Large_object_round_trips_through_non_seekable_streams(Api api)
    {
        RequireWrite();
        await Write(api).Put("large/object", new PatternStream(LargeObjectBytes));
        Assert.Equal(LargeObjectBytes, (await On(api).Stat("large/object"))!.Size);
        await using var stream = await On(api).OpenRead("large/object");
        Assert.Null(PatternStream.Compare(stream, LargeObjectBytes));
    }

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task Put_overwrites_with_longer_and_shorter_objects(Api api)
    {
        RequireWrite();
        await Write(api).Put("k", TestData.Bytes(100, 1));
        await Write(api).Put("k", TestData.Bytes(5000, 2));
        Assert.Equal(TestData.Bytes(5000, 2), await On(api).Get("k"));
        await Write(api).Put("k", TestData.Bytes(10, 3));
        Assert.Equal(TestData.Bytes(10, 3), await On(api).Get("k"));
        Assert.Equal(10, (await On(api).Stat("k"))!.Size);
    }

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task Put_of_a_stream_stores_only_what_remains_of_it(Api api)
    {
        RequireWrite();
        var stream = new MemoryStream(TestData.Bytes(1000));
        stream.Position = 600;
        await Write(api).Put("rest", stream);
        Assert.Equal(TestData.Bytes(1000).AsSpan(600).ToArray(), await On(api).Get("rest"));
    }

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task Changing_arrays_after_put_or_get_does_not_change_the_object(Api api)
    {
        RequireWrite();
        var data = TestData.Bytes(64);
        await Write(api).Put("isolated", data);
        data[0] ^= 0xFF;
        var read = await On(api).Get("isolated");
        read[1] ^= 0xFF;
        Assert.Equal(TestData.Bytes(64), await On(api).Get("isolated"));
    }

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task Get_of_missing_key_throws_KeyNotFound_that_names_the_key(Api api)
    {
        var ex = await Assert.ThrowsAnyAsync<KeyNotFoundException>(() => On(api).Get("missing/key"));
        Assert.Contains("missing/key", ex.Message);
        Assert.Equal("missing/key", Assert.IsType<ObjectNotFoundException>(ex).Key);
    }

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task A_missing_non_ASCII_key_is_not_found_like_any_other(Api api)
    {
        // Found by the model-based test: an S3 server's error body for such a key was not parseable XML.
        await Assert.ThrowsAnyAsync<KeyNotFoundException>(() => On(api).Get("missing/é😀"));
        await Assert.ThrowsAnyAsync<KeyNotFoundException>(() => On(api).OpenRead("missing/日本"));
        Assert.Null(await On(api).Stat("missing/é"));
        Assert.False(await On(api).Exists("missing/é"));
    }

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task OpenRead_of_missing_key_throws_KeyNotFound(Api api)
    {
        await Assert.ThrowsAnyAsync<KeyNotFoundException>(() => On(api).OpenRead("missing"));
    }

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task TryGet_and_Stat_of_missing_key_return_null(Api api)
    {
        Assert.Null(await On(api).TryGet("missing"));
        Assert.Null(await On(api).Stat("missing"));
    }

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task TryGet_of_present_key_returns_the_bytes(Api api)
    {
        RequireWrite();
        await Write(api).Put("present", TestData.Bytes(10));
        Assert.Equal(TestData.Bytes(10), await On(api).TryGet("present"));
    }

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task Exists_follows_put_and_delete(Api api)
    {
        RequireWrite();
        RequireDelete();
        Assert.False(await On(api).Exists("e/x"));
        await Write(api).Put("e/x", [1]);
        Assert.True(await On(api).Exists("e/x"));
        await Write(api).Delete("e/x");
        Assert.False(await On(api).Exists("e/x"));
        await Assert.ThrowsAnyAsync<KeyNotFoundException>(() => On(api).Get("e/x"));
    }

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task Delete_of_missing_key_is_a_no_op(Api api)
    {
        RequireDelete();
        await Write(api).Delete("never/written");
        Assert.False(await On(api).Exists("never/written"));
    }

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task Delete_leaves_other_keys_alone(Api api)
    {
        RequireWrite();
        RequireDelete();
        await Write(api).Put("d/a", [1]);
        await Write(api).Put("d/b", [2]);
        await Write(api).Delete("d/a");
        Assert.Equal([2], await On(api).Get("d/b"));
    }

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task Stat_reports_size_and_an_ETag_that_changes_on_overwrite(Api api)
    {
        RequireWrite();
        await Write(api).Put("s", TestData.Bytes(123, 1));
        var first = await On(api).Stat("s");
        Assert.NotNull(first);
        Assert.Equal("s", first.Key);
        Assert.Equal(123, first.Size);
        Assert.False(string.IsNullOrEmpty(first.ETag), $"{Store} gives no ETag");
        await Write(api).Put("s", TestData.Bytes(124, 2));
        var second = await On(api).Stat("s");
        Assert.Equal(124, second!.Size);
        Assert.NotEqual(first.ETag, second.ETag);
    }

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task PutIfNotExists_creates_once_and_never_overwrites(Api api)
    {
        RequireWrite();
        if (!Store.CanPutIfNotExists)
        {
            await Assert.ThrowsAsync<NotSupportedException>(() => On(api).PutIfNotExists("c", [1]));
            Assert.False(await On(api).Exists("c"));
            return;
        }
        Assert.True(await On(api).PutIfNotExists("c", [1]));
        Assert.False(await On(api).PutIfNotExists("c", [2]));
        Assert.Equal([1], await On(api).Get("c"));
    }
}
