using System.Text;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Azure;

/// <summary>What AzureBlobStore does beyond the conformance suite: staged blocks, Azure's name limits, SAS, its URL, listing order.</summary>
public sealed class AzureBlobStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_large_stream_goes_up_as_staged_blocks_committed_once_and_ranges_read_back_exact()
    {
        await using var store = AzuriteProcess.NewStore("blocks", blockSize: 1 << 20);
        long length = (5L << 20) + 777;
        await store.PutAsync("big.bin", new PatternStream(length), Ct);

        var blocks = (await AzuriteProcess.ContainerClient().GetBlockBlobClient(store.Prefix + "big.bin").GetBlockListAsync(BlockListTypes.All, cancellationToken: Ct)).Value;
        Assert.Equal(6, blocks.CommittedBlocks.Count());
        Assert.Empty(blocks.UncommittedBlocks);
        Assert.Equal(length, (await store.StatAsync("big.bin", Ct))!.Size);
        Assert.True(store.IsRangeReadNative);
        // Ranges across block boundaries and at the end.
        foreach (var (offset, count) in new (long, long?)[] { (0, 10), ((1 << 20) - 3, 7), ((3L << 20) + 5, 1 << 20), (length - 5, null), (length, 10) })
        {
            await using var range = await store.OpenReadAsync("big.bin", offset, count, Ct);
            using var copy = new MemoryStream();
            await range.CopyToAsync(copy, Ct);
            var expected = Enumerable.Range(0, (int)Math.Max(0, Math.Min(count ?? long.MaxValue, length - offset))).Select(i => PatternStream.At(offset + i, 7)).ToArray();
            Assert.Equal(expected, copy.ToArray());
        }
    }

    [Fact]
    public async Task A_stream_that_breaks_after_some_blocks_leaves_the_old_object_and_commits_nothing()
    {
        await using var store = AzuriteProcess.NewStore("broken", blockSize: 1 << 20);
        await store.PutAsync("k", [1, 2, 3], Ct);
        await Assert.ThrowsAnyAsync<IOException>(async () => await store.PutAsync("k", new FailingStream(new PatternStream(4L << 20), (5L << 20) / 2), Ct));
        Assert.Equal([1, 2, 3], await store.GetAsync("k", Ct));
        await Assert.ThrowsAnyAsync<IOException>(async () => await store.PutAsync("fresh", new FailingStream(new PatternStream(4L << 20), (5L << 20) / 2), Ct));
        Assert.False(await store.ExistsAsync("fresh", Ct));
    }

    [Theory]
    [InlineData(".", "\".\" and \"..\" segments")]
    [InlineData("a/../b", "\".\" and \"..\" segments")]
    [InlineData("back\\slash", "backslash")]
    [InlineData("dir/", "must not end with '/' or '.'")]
    [InlineData("v1.", "must not end with '/' or '.'")]
    [InlineData("ctl/new\nline", "control characters")]
    public async Task A_key_Azure_cannot_hold_is_refused_naming_the_rule_and_nothing_is_written(string key, string rule)
    {
        await using var store = AzuriteProcess.NewStore("refused");
        var refused = await Assert.ThrowsAsync<InvalidKeyException>(async () => await store.PutAsync(key, [1], Ct));
        Assert.Contains(rule, refused.Rule, StringComparison.Ordinal);
        Assert.Contains(store.ToString(), refused.Message, StringComparison.Ordinal);
        Assert.Empty(store.Keys());
    }

    [Fact]
    public async Task A_key_of_more_than_254_segments_is_refused()
    {
        await using var store = AzuriteProcess.NewStore("segments");
        var refused = Assert.Throws<InvalidKeyException>(() => store.Put(string.Join('/', Enumerable.Repeat("s", 255)), [1]));
        Assert.Contains("254", refused.Rule, StringComparison.Ordinal);
        store.Put(string.Join('/', Enumerable.Repeat("s", 252)), [1]);
        Assert.Single(store.Keys());
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Keys_with_supplementary_and_high_BMP_characters_list_in_UTF8_order()
    {
        await using var store = AzuriteProcess.NewStore("order");
        string[] keys = ["a\uE000", "a\U0001F600", "a\uFFFD/x", "a\U0001F600\uE000", "b", "a", "a\U00010000z"];
        foreach (var key in keys) await store.PutAsync(key, [1], Ct);
        Assert.Equal(keys.Order(KeyComparer.Utf8), store.Keys());
    }

    [Fact]
    public async Task A_listing_across_pages_gives_every_key_once_in_order_and_an_abandoned_one_ends_cleanly()
    {
        var options = new AzureBlobStoreOptions { ContainerName = AzuriteProcess.Container, Prefix = AzuriteProcess.NewPrefix("pages"), ListPageSize = 7 };
        await using var store = new AzureBlobStore(AzuriteProcess.ContainerClient(), options);
        var keys = Enumerable.Range(0, 30).Select(i => $"k{i:D2}").ToList();
        foreach (var key in keys) await store.PutAsync(key, [1], Ct);

        var listed = new List<string>();
        await foreach (var info in store.ListAsync("", Ct)) listed.Add(info.Key);
        var listing = store.ListAsync("", Ct).GetAsyncEnumerator(Ct);
        Assert.True(await listing.MoveNextAsync());
        var first = listing.Current.Key;
        await listing.DisposeAsync(); // the second page, asked for ahead, is not wanted: cancelled, never thrown

        Assert.Equal(keys, listed);
        Assert.Equal(keys, store.Keys());
        Assert.Equal("k00", first);
    }

    [Fact]
    public async Task A_listing_in_UTF16_order_is_put_into_UTF8_order_while_streaming()
    {
        string[] keys = ["", "x\uD7FF", "x\U0001F600", "x\U0001F600a", "x\uE000", "x\uFFFF", "y", "\U00010000", "\uFFFD"];
        var utf16 = keys.Where(k => k.Length > 0).Order(StringComparer.Ordinal).Select(k => new ObjectInfo(k, 0)).ToAsyncEnumerable();
        var ordered = new List<string>();
        await foreach (var info in Utf16ListingOrder.ToUtf8Order(utf16, Ct)) ordered.Add(info.Key);
        Assert.Equal(keys.Where(k => k.Length > 0).Order(KeyComparer.Utf8), ordered);
    }

    [Fact]
    public async Task A_presigned_GET_URL_is_a_SAS_URL_that_reads_without_credentials()
    {
        await using var store = AzuriteProcess.NewStore("sas");
        await store.PutAsync("doc.txt", Encoding.UTF8.GetBytes("shared"), Ct);
        var url = await store.PresignGetUrlAsync("doc.txt", TimeSpan.FromMinutes(1), Ct);
        Assert.Contains("sig=", url.Query, StringComparison.Ordinal);
        using var http = new HttpClient();
        Assert.Equal("shared", await http.GetStringAsync(url, Ct));
        using var unsigned = await http.GetAsync(url.GetLeftPart(UriPartial.Path), Ct);
        Assert.False(unsigned.IsSuccessStatusCode);
    }

    [Fact]
    public async Task Without_a_shared_key_the_store_cannot_presign_and_says_so()
    {
        var anonymous = new BlobContainerClient(AzuriteProcess.ContainerClient().Uri);
        await using var store = new AzureBlobStore(anonymous);
        Assert.False(store.CanPresign);
        var refused = Assert.Throws<NotSupportedException>(() => store.PresignGetUrl("k", TimeSpan.FromMinutes(1)));
        Assert.Contains(store.ToString(), refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_azure_URL_opens_the_container_and_prefix_with_the_connection_string_from_the_environment()
    {
        var variable = $"OBJSTORE_TEST_AZURE_{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(variable, AzuriteProcess.RequireConnectionString());
        try
        {
            var prefix = AzuriteProcess.NewPrefix("url");
            await using var store = StoreUrl.Open($"azure://{AzuriteProcess.Container}/{prefix}?connection_string_env={variable}");
            await store.PutAsync("k", [4, 2], Ct);
            await using var direct = new AzureBlobStore(AzuriteProcess.ContainerClient(), prefix);
            Assert.Equal([4, 2], await direct.GetAsync("k", Ct));
            Assert.Equal(direct.Locations, store.Locations);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public void An_azure_URL_without_credentials_is_refused_naming_the_variable()
    {
        var refused = Assert.Throws<StoreUrlException>(() => StoreUrl.Open($"azure://c/p?connection_string_env=OBJSTORE_TEST_UNSET_{Guid.NewGuid():N}"));
        Assert.Contains("OBJSTORE_TEST_UNSET_", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_container_is_an_error_naming_it_unless_the_store_creates_it()
    {
        var name = $"missing-{Guid.NewGuid():N}"[..30];
        var client = new BlobContainerClient(AzuriteProcess.RequireConnectionString(), name);
        await using var store = new AzureBlobStore(client);
        var failure = await Assert.ThrowsAsync<ObjectStoreException>(async () => await store.PutAsync("k", [1], Ct));
        Assert.Contains(name, failure.Message, StringComparison.Ordinal);
        await using var creating = new AzureBlobStore(client, new AzureBlobStoreOptions { ContainerName = name, CreateContainer = true });
        await creating.PutAsync("k", [1], Ct);
        Assert.Equal([1], await store.GetAsync("k", Ct));
        await client.DeleteAsync(cancellationToken: Ct);
    }
}
