using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Reliability;

public sealed class HostileInputTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Stores() => StoreFactories.Names();

    [Fact]
    public void The_corpus_has_over_100_keys_both_valid_and_invalid_and_none_nest()
    {
        var keys = HostileKeys.All;
        Assert.True(keys.Count >= 100, $"{keys.Count} keys");
        Assert.Equal(keys.Count, keys.Distinct(StringComparer.Ordinal).Count());
        var valid = keys.Where(HostileKeys.IsValid).ToList();
        Assert.InRange(valid.Count, 30, keys.Count - 10);
        foreach (var a in valid)
            Assert.DoesNotContain(valid, b => b.StartsWith(a + "/", StringComparison.Ordinal));
    }

    [Theory, MemberData(nameof(Stores))]
    public async Task Each_hostile_key_is_rejected_as_bad_input_or_round_trips_exactly(string store)
    {
        var factory = StoreFactories.Named(store);
        using var subject = factory.Create();
        var s = subject.Store;
        var held = new List<string>();
        var limited = HostileKeys.All.Where(k => HostileKeys.IsValid(k) && factory.CannotHold?.Invoke(k) is not null).ToList();
        for (int i = 0; i < HostileKeys.All.Count; i++)
        {
            var key = HostileKeys.All[i];
            if (limited.Contains(key))
            {
                // Refused by the store's own limit (a prefix's room), naming the store; a stand-in server's limit is not tried at all.
                if (factory.CannotHold!(key) == "the prefix leaves less room")
                    Assert.Contains(s.ToString()!, Assert.Throws<InvalidKeyException>(() => s.Put(key, [1])).Message);
                continue;
            }
            var content = HostileKeys.ContentOf(i, key);
            Exception? refused = null;
            try
            {
                if (i % 2 == 0) s.Put(key, content);
                else await s.PutAsync(key, content, Ct);
            }
            catch (ArgumentException ex)
            {
                refused = ex;
            }
            if (refused is null)
            {
                Assert.True(HostileKeys.IsValid(key), $"{store} accepted {ObjectKey.Describe(key)}, which the core rules reject");
                held.Add(key);
                Assert.Equal(content, s.Get(key));
                Assert.Equal(content, await s.GetAsync(key, Ct));
                Assert.True(s.Exists(key));
                continue;
            }
            // A refused key is refused by every other operation too, and left nothing behind.
            Assert.Equal(key, Assert.IsType<InvalidKeyException>(refused).Key);
            Assert.ThrowsAny<ArgumentException>(() => s.Exists(key));
            Assert.ThrowsAny<ArgumentException>(() => s.Get(key));
        }
        var valid = HostileKeys.All.Where(HostileKeys.IsValid).Except(limited).ToList();
        Assert.True(held.Count == valid.Count, $"{store} refused valid keys: {string.Join(", ", valid.Except(held).Select(ObjectKey.Describe))}");
        for (int i = 0; i < HostileKeys.All.Count; i++)
        {
            var key = HostileKeys.All[i];
            if (held.Contains(key)) Assert.Equal(HostileKeys.ContentOf(i, key), s.Get(key));
        }
        Assert.Equal(held.Order(KeyComparer.Utf8), s.Keys().ToList());
        if (subject.Sandbox is not null)
        {
            var outside = Directory.EnumerateFileSystemEntries(subject.Sandbox, "*", SearchOption.AllDirectories)
                .Where(path => !IsInside(path, subject.Root!)).ToList();
            Assert.True(outside.Count == 0, $"{store} wrote outside its root: {string.Join(", ", outside)}");
        }
    }

    // Inside the root directory, or (for single-file stores) a file of the store's own beside it
    // whose name carries the store file's name: root.zip, .root.zip.<id>.zipstore-spool, root.db-wal.
    private static bool IsInside(string path, string root) =>
        path == root || path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal)
        || (Path.GetDirectoryName(path) == Path.GetDirectoryName(root) && Path.GetFileName(path).Contains(Path.GetFileName(root), StringComparison.Ordinal));
}
