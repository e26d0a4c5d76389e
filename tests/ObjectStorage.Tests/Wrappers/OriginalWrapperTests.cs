using System.Text.RegularExpressions;
using ObjectStorage.Tests.Conformance;

namespace ObjectStorage.Tests.Wrappers;

/// <summary>The wrappers that come from the Python original's later releases: what each adds beyond the conformance suite.</summary>
public sealed class OriginalWrapperTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // ---- KeyValidatingStore ------------------------------------------------------------------

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task KeyValidatingStore_refuses_a_key_its_pattern_does_not_match_naming_key_rule_and_store(Api api)
    {
        var inner = new DictStore();
        var store = new StoreApi(new KeyValidatingStore(inner, new Regex("[a-z]+$")), api);
        await store.Put("validkey", [1]);
        var refused = await Assert.ThrowsAsync<InvalidKeyException>(() => store.Put("Invalid123", [2]));
        Assert.Equal("Invalid123", refused.Key);
        Assert.Contains("[a-z]+$", refused.Message);
        Assert.Contains("KeyValidatingStore(DictStore", refused.Message);
        await Assert.ThrowsAsync<InvalidKeyException>(() => store.Get("Invalid123"));
        await Assert.ThrowsAsync<InvalidKeyException>(() => store.Delete("Invalid123"));
        Assert.Equal(["validkey"], inner.Keys());
    }

    [Fact]
    public void KeyValidatingStore_matches_a_pattern_from_the_start_of_the_key_as_python_re_match_does()
    {
        var store = new KeyValidatingStore(new DictStore(), new Regex("[a-z]"));
        store.Put("a1", [1]);
        Assert.Throws<InvalidKeyException>(() => store.Put("1a", [1]));
    }

    [Fact]
    public void KeyValidatingStore_takes_a_predicate_and_names_its_rule()
    {
        var store = new KeyValidatingStore(new DictStore(), static key => key.StartsWith("https://", StringComparison.Ordinal), "is an https URL");
        store.Put("https://example.com/file", [1]);
        var refused = Assert.Throws<InvalidKeyException>(() => store.Put("invalid-url", [1]));
        Assert.Contains("is an https URL", refused.Message);
    }

    // ---- HashPrefixStore ---------------------------------------------------------------------

    [Fact]
    public void HashPrefixStore_writes_the_key_under_the_originals_sha256_hex_prefix()
    {
        // Expected inner keys computed with the original's formula: hashlib.sha256(key.encode()).hexdigest()[:hash_length] + separator + key.
        var inner = new DictStore();
        new HashPrefixStore(inner).Put("photo.jpg", [1]);
        new HashPrefixStore(inner, hashLength: 4, separator: "-").Put("mykey", [2]);
        new HashPrefixStore(inner).Put("ключ/файл", [3]);
        Assert.Equal(["5e50-mykey", "aff6100b/photo.jpg", "ed571f02/ключ/файл"], inner.Keys());
    }

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task HashPrefixStore_reads_what_the_original_wrote_and_lists_in_key_order(Api api)
    {
        var inner = new DictStore();
        inner.Put("aff6100b/photo.jpg", [1]);
        inner.Put("5e50f405/mykey", [2]);
        var store = new StoreApi(new HashPrefixStore(inner), api);
        Assert.Equal([1], await store.Get("photo.jpg"));
        Assert.Equal(["mykey", "photo.jpg"], await store.Keys());
        Assert.Equal(["photo.jpg"], (await store.List("p")).Select(i => i.Key));
    }

    [Fact]
    public void HashPrefixStore_reports_an_inner_key_it_did_not_write_and_does_not_list_it()
    {
        var inner = new DictStore();
        inner.Put("00000000/photo.jpg", [1]);
        inner.Put("readme", [2]);
        var store = new HashPrefixStore(inner);
        var skipped = new List<SkippedEntry>();
        store.EntrySkipped += (_, entry) => skipped.Add(entry);
        Assert.Empty(store.Keys());
        Assert.Equal(["00000000/photo.jpg", "readme"], skipped.Select(s => s.Entry).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void HashPrefixStore_deletes_by_prefix_only_its_own_keys()
    {
        var inner = new DictStore();
        var store = new HashPrefixStore(inner);
        store.Put("a/1", [1]);
        store.Put("a/2", [1]);
        store.Put("b/1", [1]);
        Assert.Equal(2, store.DeletePrefix("a/"));
        Assert.Equal(["b/1"], store.Keys());
    }

    // ---- WriteOnlyStore ----------------------------------------------------------------------

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task WriteOnlyStore_writes_and_deletes_but_refuses_every_read_naming_itself(Api api)
    {
        var inner = new DictStore();
        var store = new StoreApi(new WriteOnlyStore(inner), api);
        await store.Put("k", [1]);
        await store.Put("s", new MemoryStream([2]));
        Assert.Equal([1], inner.Get("k"));
        foreach (var read in new Func<Task>[] { () => store.Get("k"), () => store.OpenRead("k"), () => store.Exists("k"), () => store.Stat("k"),
            () => store.Keys(), () => store.List(), () => store.OpenRead("k", 0, 1), () => store.DeletePrefix("") })
        {
            var refused = await Assert.ThrowsAsync<NotSupportedException>(read);
            Assert.Contains("WriteOnlyStore(DictStore", refused.Message);
        }
        await store.Delete("k");
        Assert.False(inner.Exists("k"));
        Assert.False(store.Store.CanList);
    }

    // ---- NotifyingStore ----------------------------------------------------------------------

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task NotifyingStore_tells_sync_and_async_handlers_after_each_put_and_delete_in_order(Api api)
    {
        var inner = new DictStore();
        var notifying = new NotifyingStore(inner);
        var seen = new List<string>();
        notifying.OnChange(change => seen.Add($"sync {change.Kind} {change.Key} {inner.Exists(change.Key)}"));
        notifying.OnChange(async (change, ct) =>
        {
            await Task.Yield();
            seen.Add($"async {change.Kind} {change.Key}");
        });
        notifying.OnDelete(change => seen.Add($"delete-only {change.Key}"));
        var store = new StoreApi(notifying, api);
        await store.Put("a", [1]);
        await store.Get("a");
        await store.Delete("a");
        Assert.Equal(["sync Put a True", "async Put a", "sync Delete a False", "async Delete a", "delete-only a"], seen);
    }

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task NotifyingStore_reports_each_key_of_batches_and_prefix_deletes(Api api)
    {
        var notifying = new NotifyingStore(new DictStore());
        var seen = new List<StoreChange>();
        notifying.OnChange(seen.Add);
        var store = new StoreApi(notifying, api);
        await store.PutMany(("x/1", [1]), ("x/2", [2]));
        Assert.Equal(2, await store.DeletePrefix("x/"));
        Assert.Equal(["Put x/1", "Put x/2", "Delete x/1", "Delete x/2"], seen.Select(c => $"{c.Kind} {c.Key}"));
    }

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task NotifyingStore_runs_every_handler_when_one_throws_and_then_throws_with_the_change_made(Api api)
    {
        var inner = new DictStore();
        var notifying = new NotifyingStore(inner);
        int later = 0;
        notifying.OnChange(_ => throw new InvalidOperationException("index is down"));
        notifying.OnChange(_ => later++);
        var thrown = await Assert.ThrowsAsync<StoreNotificationException>(() => new StoreApi(notifying, api).Put("k", [1]));
        Assert.Equal(1, later);
        Assert.True(inner.Exists("k"));
        Assert.Null(thrown.OperationError);
        Assert.Contains("index is down", thrown.Message);
        Assert.IsType<InvalidOperationException>(Assert.Single(((AggregateException)thrown.InnerException!).InnerExceptions));
    }

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task NotifyingStore_shows_handlers_a_failed_put_and_rethrows_its_exception(Api api)
    {
        StoreChange? seen = null;
        var inner = new NotifyingStore(new KeyValidatingStore(new DictStore(), static _ => false, "is never accepted"));
        inner.OnPut(change => seen = change);
        await Assert.ThrowsAsync<InvalidKeyException>(() => new StoreApi(inner, api).Put("k", [1]));
        Assert.IsType<InvalidKeyException>(seen!.Error);
        Assert.Equal("k", seen.Key);
    }

    [Fact]
    public async Task NotifyingStore_sync_put_waits_for_async_handlers_under_a_single_threaded_context()
    {
        var notifying = new NotifyingStore(new DictStore());
        bool done = false;
        notifying.OnChange(async (_, ct) =>
        {
            await Task.Delay(10, ct);
            done = true;
        });
        using var context = new Support.SingleThreadContext();
        await context.Run(() =>
        {
            notifying.Put("k", [1]);
            return true;
        });
        Assert.True(done);
    }
}
