using Microsoft.Extensions.Logging;
using ObjectStorage.Tests.Conformance;
using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Logging;

/// <summary>The whole conformance suite through a LoggingStore whose logger records everything down to Trace.</summary>
public sealed class LoggingStoreConformance : StoreConformance
{
    protected override ObjectStore CreateStore() => new LoggingStore(new DictStore(), new LogRecorder());
}

public sealed class LoggingStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static object? Value(LogRecorder.Entry entry, string name) => entry.State.FirstOrDefault(p => p.Key == name).Value;

    [Fact]
    public async Task Each_operation_is_logged_at_Debug_with_its_key_and_size_but_never_its_bytes()
    {
        var log = new LogRecorder();
        using var store = new LoggingStore(new DictStore(), log);

        store.Put("docs/a.txt", "SECRET-PAYLOAD"u8.ToArray());
        Assert.Equal(14, (await store.GetAsync("docs/a.txt", Ct)).Length);
        Assert.Null(store.TryGet("docs/missing", out _) ? "" : null);
        Assert.Single(store.Keys("docs/"));

        var entries = log.Entries;
        Assert.All(entries, e => Assert.Equal(LogLevel.Debug, e.Level));
        Assert.All(entries, e => Assert.DoesNotContain("SECRET", e.Message, StringComparison.Ordinal));
        var put = Assert.Single(entries, e => (string?)Value(e, "Operation") == "put");
        Assert.Equal("docs/a.txt", Value(put, "Key"));
        Assert.Equal(14L, Value(put, "Size"));
        Assert.Contains("put \"docs/a.txt\" on DictStore took", put.Message, StringComparison.Ordinal);
        Assert.Contains("not found", Assert.Single(entries, e => (string?)Value(e, "Key") == "docs/missing").Message, StringComparison.Ordinal);
        Assert.Equal(1L, Value(Assert.Single(entries, e => (string?)Value(e, "Operation") == "keys"), "Count"));
    }

    [Fact]
    public async Task Ranged_reads_batches_and_prefix_deletes_are_logged_once_each_with_their_counts()
    {
        var log = new LogRecorder();
        using var store = new LoggingStore(new DictStore(), log);

        await store.PutManyAsync([new("b/1", new byte[] { 1, 2, 3 }), new("b/2", new byte[] { 4 }), new("c/1", new byte[] { 5 })], Ct);
        using (var range = store.OpenRead("b/1", 1, 1)) Assert.Equal(2, range.ReadByte());
        Assert.Null(store.TryOpenRead("b/none", 0, 1));
        store.DeleteMany(["b/1", "b/2"]);
        Assert.Equal(1, await store.DeletePrefixAsync("c/", Ct));

        var entries = log.Entries;
        var putMany = Assert.Single(entries, e => (string?)Value(e, "Operation") == "put_many");
        Assert.Equal(3, Value(putMany, "Count"));
        Assert.Equal("b/1", Value(putMany, "Key"));
        Assert.Contains("put_many of 3 objects from \"b/1\" on DictStore took", putMany.Message, StringComparison.Ordinal);
        Assert.Equal(2, Value(Assert.Single(entries, e => (string?)Value(e, "Operation") == "delete_many"), "Count"));
        Assert.Equal(1L, Value(Assert.Single(entries, e => (string?)Value(e, "Operation") == "delete_prefix"), "Count"));
        var ranges = entries.Where(e => (string?)Value(e, "Operation") == "open_range").ToList();
        Assert.Equal(["b/1", "b/none"], ranges.Select(e => (string?)Value(e, "Key")));
        Assert.Contains("not found", ranges[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_presigned_URL_is_logged_without_its_signature()
    {
        S3TestServer.S3rver.RequireEndpoint();
        var log = new LogRecorder();
        using var store = new LoggingStore(new BucketStore(S3TestServer.S3rver.Options(S3TestServer.NewPrefix("logging"))), log);

        var url = store.PresignPutUrl("upload.bin", TimeSpan.FromMinutes(5));

        var signature = System.Web.HttpUtility.ParseQueryString(url.Query)["X-Amz-Signature"];
        Assert.False(string.IsNullOrEmpty(signature));
        var entry = Assert.Single(log.Entries, e => (string?)Value(e, "Operation") == "presign_put");
        Assert.Equal("upload.bin", Value(entry, "Key"));
        Assert.All(log.Entries, e => Assert.DoesNotContain(signature, e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_medium_failure_is_logged_as_an_Error_with_the_exception_and_still_thrown()
    {
        var log = new LogRecorder(LogLevel.Information);
        var faulty = new FaultyStore(new DictStore()).FailOn(StoreOp.Put);
        using var store = new LoggingStore(faulty, log);

        var thrown = await Assert.ThrowsAsync<ObjectStoreException>(async () => await store.PutAsync("k/1", new byte[] { 1 }, Ct));

        var entry = Assert.Single(log.Entries);
        Assert.Equal(LogLevel.Error, entry.Level);
        Assert.Same(thrown, entry.Error);
        Assert.Equal("k/1", Value(entry, "Key"));
        Assert.Contains("failed", entry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_the_inner_store_refuses_is_logged_as_a_Warning()
    {
        var log = new LogRecorder(LogLevel.Information);
        using var store = new LoggingStore(new PrefixStore(new DictStore(), new string('p', 1000)), log);

        Assert.Throws<InvalidKeyException>(() => store.Put(new string('k', 100), [1]));

        var entry = Assert.Single(log.Entries);
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.IsType<InvalidKeyException>(entry.Error);
    }

    [Fact]
    public void Successful_operations_log_nothing_while_Debug_is_off()
    {
        var log = new LogRecorder(LogLevel.Information);
        using var store = new LoggingStore(new DictStore(), log);
        store.Put("a", [1]);
        store.Get("a");
        store.Keys().ToList();
        store.Delete("a");
        Assert.Empty(log.Entries);
    }

    [Fact]
    public void Quotes_backslashes_and_line_breaking_characters_in_keys_are_escaped()
    {
        var log = new LogRecorder();
        using var store = new LoggingStore(new DictStore(), log);
        const string key = "a\"b\u2028c\u200Bd";

        store.Put(key, [1]);

        var entry = Assert.Single(log.Entries);
        Assert.Equal("a\\\"b\\u2028c\\u200bd", Value(entry, "Key"));
        Assert.DoesNotContain('\u2028', entry.Message);
    }

    [Fact]
    public void Disposing_the_logging_store_disposes_the_inner_store_unless_left_open()
    {
        var inner = new DictStore();
        new LoggingStore(inner, new LogRecorder(), leaveOpen: true).Dispose();
        Assert.False(inner.IsDisposed);
        new LoggingStore(inner, new LogRecorder()).Dispose();
        Assert.True(inner.IsDisposed);
    }
}
