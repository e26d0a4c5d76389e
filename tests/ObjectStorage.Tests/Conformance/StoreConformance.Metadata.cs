namespace ObjectStorage.Tests.Conformance;

// Metadata: each store declares what it keeps (MetadataSupport); what it says it keeps comes back
// (times within its precision), what it says it lists is in its listings, and a put carrying what
// it does not keep is refused and writes nothing.
public abstract partial class StoreConformance
{
    private static readonly DateTimeOffset OldTime = new DateTimeOffset(2019, 5, 6, 7, 8, 9, TimeSpan.Zero).AddTicks(1_234_567);

    private static readonly PutOptions FullMetadata = new()
    {
        ContentType = "text/plain; charset=utf-8",
        Metadata = new Dictionary<string, string> { ["Author"] = "Ada", ["x-Review"] = "two words, ünïcode" },
        LastModified = OldTime,
    };

    private MetadataSupport Support => Store.MetadataSupport;

    [Fact]
    public void Metadata_declaration_lists_only_what_it_keeps_and_gives_kept_times_a_precision()
    {
        Assert.Equal(MetadataKinds.None, Support.Listed & ~Support.Kept);
        if (Support.Keeps(MetadataKinds.ModificationTime))
            Assert.InRange(Support.TimePrecision, TimeSpan.FromTicks(1), TimeSpan.FromSeconds(2));
        Assert.True(Support.TimePrecision >= TimeSpan.Zero);
    }

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task Content_type_comes_back_where_kept_and_is_refused_where_not(Api api)
    {
        RequireWrite();
        await PutOrRefused(api, "typed", [1, 2], new PutOptions { ContentType = "image/png" }, MetadataKinds.ContentType);
        if (!Support.Keeps(MetadataKinds.ContentType)) return;
        Assert.Equal("image/png", (await On(api).Stat("typed"))!.ContentType);
        var listed = Assert.Single(await On(api).List("typed"));
        Assert.Equal(Support.Lists(MetadataKinds.ContentType) ? "image/png" : null, listed.ContentType);
    }

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task User_metadata_comes_back_with_lower_case_names_where_kept_and_is_refused_where_not(Api api)
    {
        RequireWrite();
        await PutOrRefused(api, "meta", [3], FullMetadata with { ContentType = null, LastModified = null }, MetadataKinds.UserMetadata);
        if (!Support.Keeps(MetadataKinds.UserMetadata)) return;
        var metadata = (await On(api).Stat("meta"))!.Metadata;
        Assert.NotNull(metadata);
        Assert.Equal(["author", "x-review"], metadata.Keys);
        Assert.Equal("Ada", metadata["AUTHOR"]);
        Assert.Equal("two words, ünïcode", metadata["x-review"]);
        var listed = Assert.Single(await On(api).List("meta"));
        if (Support.Lists(MetadataKinds.UserMetadata)) Assert.Equal(metadata, listed.Metadata);
        else Assert.Null(listed.Metadata);
    }

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task Modification_time_comes_back_within_the_declared_precision_where_kept(Api api)
    {
        RequireWrite();
        await PutOrRefused(api, "dated", [4, 5], new PutOptions { LastModified = OldTime }, MetadataKinds.ModificationTime);
        if (!Support.Keeps(MetadataKinds.ModificationTime)) return;
        AssertNear(OldTime, (await On(api).Stat("dated"))!.LastModified);
        if (Support.Lists(MetadataKinds.ModificationTime)) AssertNear(OldTime, Assert.Single(await On(api).List("dated")).LastModified);
    }

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task Streamed_put_keeps_the_metadata_a_buffered_put_keeps(Api api)
    {
        RequireWrite();
        var options = FullMetadata.Keeping(Support.Kept);
        await Write(api).Put("streamed", new MemoryStream([6, 7, 8]), options);
        await Write(api).Put("buffered", [6, 7, 8], options);
        var streamed = (await On(api).Stat("streamed"))!;
        var buffered = (await On(api).Stat("buffered"))!;
        Assert.Equal(buffered.ContentType, streamed.ContentType);
        Assert.Equal(buffered.Metadata, streamed.Metadata);
        if (Support.Keeps(MetadataKinds.ModificationTime)) AssertNear(OldTime, streamed.LastModified);
        Assert.Equal([6, 7, 8], await On(api).Get("streamed"));
    }

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task Overwrite_without_metadata_leaves_none_of_the_old(Api api)
    {
        RequireWrite();
        Assert.SkipWhen(Support.Kept == MetadataKinds.None, $"{Store} keeps no metadata");
        await Write(api).Put("k", [1], FullMetadata.Keeping(Support.Kept));
        var before = DateTimeOffset.UtcNow;
        await Write(api).Put("k", [2]);
        var info = (await On(api).Stat("k"))!;
        Assert.True(info.ContentType is null or "application/octet-stream" or "binary/octet-stream", info.ContentType);
        Assert.True(info.Metadata is null || info.Metadata.Count == 0, info.Metadata?.ToString());
        if (Support.Keeps(MetadataKinds.ModificationTime))
            Assert.True(info.LastModified >= before - Support.TimePrecision - TimeSpan.FromSeconds(1), $"{info.LastModified} is older than the overwrite at {before}");
    }

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task Create_only_put_keeps_metadata_as_a_put_does(Api api)
    {
        RequireWrite();
        Assert.SkipUnless(Writer.CanPutIfNotExists, $"{Store} has no create-only put");
        var options = FullMetadata.Keeping(Support.Kept);
        Assert.True(await Write(api).PutIfNotExists("once", [9], options));
        Assert.False(await Write(api).PutIfNotExists("once", [10], new PutOptions { LastModified = Support.Keeps(MetadataKinds.ModificationTime) ? DateTimeOffset.UtcNow : null }));
        var info = (await On(api).Stat("once"))!;
        Assert.Equal(options.ContentType, info.ContentType);
        if (Support.Keeps(MetadataKinds.UserMetadata)) Assert.Equal(new UserMetadata(options.Metadata!), info.Metadata);
        if (Support.Keeps(MetadataKinds.ModificationTime)) AssertNear(OldTime, info.LastModified);
    }

    [Theory]
    [InlineData(Api.Sync, "bad name")]
    [InlineData(Api.Async, "bad name")]
    [InlineData(Api.Sync, "mtime")]
    [InlineData(Api.Async, "ümlaut")]
    public async Task Metadata_that_breaks_a_rule_is_refused_naming_key_rule_and_store_and_nothing_is_written(Api api, string name)
    {
        RequireWrite();
        var options = new PutOptions { Metadata = new Dictionary<string, string> { [name] = "v" } };
        var refused = await Assert.ThrowsAsync<InvalidMetadataException>(() => Write(api).Put("refused", [1], options));
        Assert.Contains("\"refused\"", refused.Message);
        Assert.Contains(Writer.ToString()!, refused.Message);
        Assert.Contains(name, refused.Rule);
        var badType = await Assert.ThrowsAsync<InvalidMetadataException>(() => Write(api).Put("refused", new MemoryStream([1]), new PutOptions { ContentType = "text/plain\r\nX: y" }));
        Assert.Contains("content type", badType.Rule);
        Assert.False(await On(api).Exists("refused"));
    }

    // A put carrying one kind: kept, or refused with NotSupportedException naming the store and key and nothing written.
    private async Task PutOrRefused(Api api, string key, byte[] data, PutOptions options, MetadataKinds kind)
    {
        if (Writer.MetadataSupport.Keeps(kind))
        {
            await Write(api).Put(key, data, options);
            return;
        }
        var refused = await Assert.ThrowsAsync<NotSupportedException>(() => Write(api).Put(key, data, options));
        Assert.Contains(Writer.ToString()!, refused.Message);
        Assert.Contains($"\"{key}\"", refused.Message);
        Assert.False(await On(api).Exists(key));
    }

    private void AssertNear(DateTimeOffset expected, DateTimeOffset? actual)
    {
        Assert.NotNull(actual);
        var off = (actual.Value - expected).Duration();
        Assert.True(off <= Support.TimePrecision, $"{Store} gave back {actual:O} for {expected:O}: {off} off, beyond its declared precision {Support.TimePrecision}");
    }
}
