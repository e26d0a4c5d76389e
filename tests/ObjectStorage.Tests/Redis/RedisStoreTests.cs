using System.Text;
using ObjectStorage.Tests.Support;
using StackExchange.Redis;

namespace ObjectStorage.Tests.Redis;

/// <summary>What RedisStore does beyond the conformance suite: the Python original's layout, the size limit, foreign keys, its URL.</summary>
public sealed class RedisStoreTests
{
    // The layout tests need keys without a prefix, as the original writes them: a database of their own, emptied first.
    private const int OriginalLayoutDatabase = 7;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static IDatabase EmptyOriginalLayoutDatabase()
    {
        var db = RedisTestServer.Connection.GetDatabase(OriginalLayoutDatabase);
        db.Execute("FLUSHDB");
        return db;
    }

    [Fact]
    public async Task Objects_the_Python_original_wrote_as_plain_SETs_are_read_and_listed_in_key_order()
    {
        var raw = EmptyOriginalLayoutDatabase();
        // What the original's put does: client.set(key, data), the key UTF-8 as redis-py sends a str.
        string[] keys = ["photos/2026/b.jpg", "photos/2026/a.jpg", "émoji/😀", "a b", "z"];
        foreach (var key in keys) await raw.StringSetAsync(key, Encoding.UTF8.GetBytes("data of " + key));
        await using var store = new RedisStore(RedisTestServer.Connection, new RedisStoreOptions { Database = OriginalLayoutDatabase });

        Assert.Equal(keys.Order(KeyComparer.Utf8), store.Keys());
        foreach (var key in keys) Assert.Equal("data of " + key, Encoding.UTF8.GetString(await store.GetAsync(key, Ct)));
        Assert.Equal(Encoding.UTF8.GetByteCount("data of z"), store.List().Single(i => i.Key == "z").Size);
    }

    [Fact]
    public async Task Objects_this_store_writes_are_plain_strings_under_the_key_itself()
    {
        var raw = EmptyOriginalLayoutDatabase();
        await using var store = new RedisStore(RedisTestServer.Connection, new RedisStoreOptions { Database = OriginalLayoutDatabase });
        var data = TestData.Bytes(3000, seed: 3);
        await store.PutAsync("reports/q3 ü.pdf", data, Ct);
        // What the original's get does: client.get(key).
        Assert.Equal(RedisType.String, await raw.KeyTypeAsync("reports/q3 ü.pdf"));
        Assert.Equal(data, (byte[]?)await raw.StringGetAsync("reports/q3 ü.pdf"));
        Assert.Single(RedisTestServer.Connection.GetServer(RedisTestServer.Connection.GetEndPoints()[0]).Keys(OriginalLayoutDatabase));
    }

    [Fact]
    public async Task An_object_above_the_limit_is_refused_naming_the_limit_and_nothing_is_written()
    {
        await using var store = RedisTestServer.NewStore("limit", new RedisStoreOptions { MaxObjectBytes = 1000 });
        await store.PutAsync("fits", new byte[1000], Ct);
        var bytes = await Assert.ThrowsAsync<ObjectStoreException>(async () => await store.PutAsync("big", new byte[1001], Ct));
        Assert.Contains("limit of 1000 bytes", bytes.Message, StringComparison.Ordinal);
        Assert.Equal("big", bytes.Key);
        var stream = Assert.Throws<ObjectStoreException>(() => store.Put("streamed", new PatternStream(5000)));
        Assert.Contains("MaxObjectBytes", stream.Message, StringComparison.Ordinal);
        Assert.Throws<ObjectStoreException>(() => store.PutIfNotExists("created", new byte[1001]));
        Assert.Equal(["fits"], store.Keys());
    }

    [Fact]
    public void A_limit_above_what_a_Redis_string_holds_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RedisStore(RedisTestServer.Connection, new RedisStoreOptions { MaxObjectBytes = (512L << 20) + 1 }));
    }

    [Fact]
    public async Task A_hash_under_the_prefix_is_no_object_it_is_not_listed_and_reading_it_names_its_type()
    {
        await using var store = RedisTestServer.NewStore("foreign");
        await store.PutAsync("object", [1], Ct);
        await RedisTestServer.Connection.GetDatabase().HashSetAsync(store.Prefix + "hash", "field", "value");

        Assert.Equal(["object"], store.Keys());
        var failure = await Assert.ThrowsAsync<ObjectStoreException>(async () => await store.GetAsync("hash", Ct));
        Assert.Contains("hash", failure.Message, StringComparison.Ordinal);
        Assert.Throws<ObjectStoreException>(() => store.Stat("hash"));
    }

    [Fact]
    public async Task A_Redis_key_that_is_not_UTF8_is_reported_not_skipped_in_silence()
    {
        await using var store = RedisTestServer.NewStore("notutf8");
        await store.PutAsync("fine", [1], Ct);
        byte[] bad = [.. Encoding.UTF8.GetBytes(store.Prefix), 0xFF, 0xFE];
        await RedisTestServer.Connection.GetDatabase().StringSetAsync(bad, "x");
        var skipped = new List<SkippedEntry>();
        store.EntrySkipped += (_, entry) => skipped.Add(entry);

        Assert.Equal(["fine"], store.Keys());
        var entry = Assert.Single(skipped);
        Assert.EndsWith("FFFE", entry.Entry, StringComparison.Ordinal);
        Assert.Contains("not UTF-8", entry.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_SCAN_returns_in_hash_order_are_listed_sorted_with_glob_characters_in_the_prefix_taken_literally()
    {
        await using var store = RedisTestServer.NewStore("scan*[x]?");
        var keys = Enumerable.Range(0, 3000).Select(i => $"k/{(i * 7919) % 3000:D4}").ToList();
        await store.PutManyAsync(keys.Select(k => KeyValuePair.Create(k, (ReadOnlyMemory<byte>)new byte[] { 1 })), Ct);
        await RedisTestServer.Connection.GetDatabase().StringSetAsync(store.Prefix.Replace("*", "X", StringComparison.Ordinal) + "k/other", "x");

        Assert.Equal(keys.Order(KeyComparer.Utf8), store.Keys("k/"));
        Assert.Equal(3000, store.List().Count());
    }

    [Fact]
    public async Task A_redis_URL_opens_the_server_database_and_prefix()
    {
        var prefix = RedisTestServer.NewPrefix("url");
        await using var store = StoreUrl.Open($"redis://{RedisTestServer.RequireEndpoint()}/3?prefix={Uri.EscapeDataString(prefix)}&max_object_mb=1");
        var redis = Assert.IsType<RedisStore>(store);
        Assert.Equal(prefix, redis.Prefix);
        Assert.Equal(1L << 20, redis.MaxObjectBytes);
        await store.PutAsync("k", [7], Ct);
        Assert.Equal([7], (byte[]?)await RedisTestServer.Connection.GetDatabase(3).StringGetAsync(prefix + "k"));
        await store.DeleteAsync("k", Ct);
    }

    [Fact]
    public void A_redis_URL_with_a_database_that_is_no_number_is_refused()
    {
        var refused = Assert.Throws<StoreUrlException>(() => StoreUrl.Open("redis://127.0.0.1:1/zero"));
        Assert.Contains("\"zero\"", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_configuration_file_builds_a_RedisStore_from_its_url()
    {
        var endpoint = RedisTestServer.RequireEndpoint();
        var prefix = RedisTestServer.NewPrefix("config");
        var file = StoreConfigFile.Parse($"stores:\n  cache:\n    type: RedisStore\n    config:\n      url: \"redis://{endpoint}/0?prefix={prefix}\"\nmain: cache\n");

        await using var store = file.Build();
        await store.PutAsync("k", "from yaml"u8.ToArray(), Ct);

        Assert.IsType<RedisStore>(store);
        Assert.Equal("from yaml", (string?)await RedisTestServer.Connection.GetDatabase(0).StringGetAsync(prefix + "k"));
        var missing = Assert.Throws<StoreConfigException>(() => StoreConfigFile.Parse("stores:\n  r:\n    type: RedisStore\n").Build("r"));
        Assert.Contains("\"url\" is missing", missing.Message);
        var azure = Assert.Throws<StoreConfigException>(() => StoreConfigFile.Parse("stores:\n  a:\n    type: AzureBlobStore\n    config:\n      url: redis://x\n").Build("a"));
        Assert.Contains("must start with azure://", azure.Message);
    }
}
