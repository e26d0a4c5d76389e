using System.Text;
using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Conformance;

public abstract partial class StoreConformance
{
    public static TheoryData<string> InvalidKeys() => KeyCases.InvalidKeys();

    [Theory, MemberData(nameof(InvalidKeys))]
    public async Task Every_operation_rejects_an_invalid_key_naming_the_rule(string key)
    {
        var rule = KeyCases.Invalid.First(c => c.Key == key).Rule;
        var operations = new List<(string Name, Func<Task> Call)>
        {
            ("Get", () => Task.FromResult(Store.Get(key))),
            ("TryGet", () => Task.FromResult(Store.TryGet(key, out _))),
            ("OpenRead", () => Task.FromResult(Store.OpenRead(key))),
            ("Exists", () => Task.FromResult(Store.Exists(key))),
            ("Stat", () => Task.FromResult(Store.Stat(key))),
            ("GetAsync", async () => await Store.GetAsync(key, Ct)),
            ("TryGetAsync", async () => await Store.TryGetAsync(key, Ct)),
            ("OpenReadAsync", async () => await Store.OpenReadAsync(key, Ct)),
            ("ExistsAsync", async () => await Store.ExistsAsync(key, Ct)),
            ("StatAsync", async () => await Store.StatAsync(key, Ct)),
        };
        if (Store.CanWrite)
        {
            operations.Add(("Put", () => { Store.Put(key, new byte[] { 1 }); return Task.CompletedTask; }));
            operations.Add(("Put(Stream)", () => { Store.Put(key, new MemoryStream([1])); return Task.CompletedTask; }));
            operations.Add(("PutAsync", async () => await Store.PutAsync(key, new byte[] { 1 }, Ct)));
            operations.Add(("PutAsync(Stream)", async () => await Store.PutAsync(key, new MemoryStream([1]), Ct)));
        }
        if (Store.CanPutIfNotExists) operations.Add(("PutIfNotExists", () => Task.FromResult(Store.PutIfNotExists(key, new byte[] { 1 }))));
        if (Store.CanDelete)
        {
            operations.Add(("Delete", () => { Store.Delete(key); return Task.CompletedTask; }));
            operations.Add(("DeleteAsync", async () => await Store.DeleteAsync(key, Ct)));
        }
        foreach (var (name, call) in operations)
        {
            var ex = await Assert.ThrowsAsync<InvalidKeyException>(call);
            Assert.True(ex.Message.Contains(rule, StringComparison.Ordinal), $"{name}: message \"{ex.Message}\" does not name the rule \"{rule}\"");
            Assert.Equal(key, ex.Key);
        }
        if (Store.CanList) Assert.Empty(Store.Keys());
    }

    [Fact]
    public void Listing_rejects_an_invalid_prefix()
    {
        RequireList();
        // Built here, not in attributes: a lone surrogate does not survive test-case serialisation.
        foreach (var prefix in new[] { "\0", "a/\0", "\uD800", "a\uDC00" })
        {
            Assert.Throws<InvalidKeyException>(() => Store.Keys(prefix));
            Assert.Throws<InvalidKeyException>(() => Store.ListAsync(prefix, Ct));
        }
    }

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task Awkward_but_valid_keys_round_trip_and_list_exactly(Api api)
    {
        RequireWrite();
        var keys = KeyCases.Awkward.Where(k => Encoding.UTF8.GetByteCount(k) <= MaxKeyBytes).ToList();
        foreach (var key in keys) await Write(api).Put(key, Encoding.UTF8.GetBytes(key));
        foreach (var key in keys)
        {
            Assert.Equal(key, Encoding.UTF8.GetString(await On(api).Get(key)));
            Assert.True(await On(api).Exists(key), key);
        }
        if (Store.CanList) Assert.Equal(keys.Order(KeyComparer.Utf8), await KeysOf(api));
    }

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task Every_key_real_data_has_round_trips_and_lists_byte_identically(Api api)
    {
        RequireWrite();
        var keys = KeyCases.RoundTrip.Where(k => Encoding.UTF8.GetByteCount(k) <= MaxKeyBytes && CannotHold(k) is null).ToList();
        for (int i = 0; i < keys.Count; i++) await Write(api).Put(keys[i], Encoding.UTF8.GetBytes($"{i}:{keys[i]}"));
        for (int i = 0; i < keys.Count; i++)
        {
            Assert.Equal($"{i}:{keys[i]}", Encoding.UTF8.GetString(await On(api).Get(keys[i])));
            Assert.True(await On(api).Exists(keys[i]), ObjectKey.Describe(keys[i]));
        }
        if (!Store.CanList) return;
        var sorted = keys.Order(KeyComparer.Utf8).ToList();
        Assert.Equal(sorted, await KeysOf(api));
        // Prefixes that end inside an escaped segment, on an empty segment, or on a dot.
        foreach (var prefix in new[] { "/", "//", "a/", "a//", "a/.", ".", "..", "%", "%2", "photos/", "ctl/", "\\", "bidi/\u202E", "trail/" })
            Assert.Equal(sorted.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList(), await KeysOf(api, prefix));
    }

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task A_key_of_the_largest_size_round_trips(Api api)
    {
        RequireWrite();
        // Segments of at most 200 bytes, so that a file tree can hold them too.
        var sb = new StringBuilder();
        while (sb.Length < MaxKeyBytes)
        {
            if (sb.Length > 0) sb.Append('/');
            sb.Append(new string('k', Math.Min(200, MaxKeyBytes - sb.Length)));
        }
        var key = sb.ToString();
        Assert.Equal(MaxKeyBytes, Encoding.UTF8.GetByteCount(key));
        await Write(api).Put(key, [42]);
        Assert.Equal([42], await On(api).Get(key));
        if (Store.CanList) Assert.Equal([key], await KeysOf(api));
    }
}
