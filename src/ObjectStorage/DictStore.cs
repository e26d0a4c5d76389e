using System.Collections.Concurrent;

namespace ObjectStorage;

/// <summary>
/// Objects in memory. Thread-safe; bytes are copied in on put and out on get, so a caller that
/// changes its array afterwards does not change the stored object.
/// </summary>
public class DictStore : ObjectStore
{
    private readonly ConcurrentDictionary<string, Entry> _objects = new(StringComparer.Ordinal);
    private long _version;

    /// <summary>An empty store.</summary>
    public DictStore() { }

    /// <summary>Number of objects held.</summary>
    public int Count => _objects.Count;

    public override bool CanPutIfNotExists => true;

    public override string ToString() => "DictStore";

    protected override byte[]? GetCore(string key) =>
        _objects.TryGetValue(key, out var entry) ? entry.Data.ToArray() : null;

    protected override Stream? OpenReadCore(string key) =>
        _objects.TryGetValue(key, out var entry) ? new MemoryStream(entry.Data, writable: false) : null;

    protected override void PutCore(string key, ReadOnlyMemory<byte> data) => _objects[key] = NewEntry(data.ToArray());

    protected override void PutStreamCore(string key, Stream data)
    {
        using var buffer = new MemoryStream();
        data.CopyTo(buffer);
        _objects[key] = NewEntry(buffer.ToArray());
    }

    protected override bool PutIfNotExistsCore(string key, ReadOnlyMemory<byte> data) =>
        _objects.TryAdd(key, NewEntry(data.ToArray()));

    protected override bool ExistsCore(string key) => _objects.ContainsKey(key);

    protected override ObjectInfo? StatCore(string key) =>
        _objects.TryGetValue(key, out var entry) ? entry.Info(key) : null;

    protected override void DeleteCore(string key) => _objects.TryRemove(key, out _);

    protected override IEnumerable<string> KeysCore(string prefix) => MatchingKeys(prefix).Where(_objects.ContainsKey);

    protected override IEnumerable<ObjectInfo> ListCore(string prefix)
    {
        foreach (var key in MatchingKeys(prefix))
            if (_objects.TryGetValue(key, out var entry)) yield return entry.Info(key);
    }

    // A snapshot of the matching keys, sorted; objects deleted meanwhile are skipped by the callers.
    private string[] MatchingKeys(string prefix)
    {
        var keys = _objects.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToArray();
        Array.Sort(keys, KeyComparer.Utf8);
        return keys;
    }

    private Entry NewEntry(byte[] data) => new(data, DateTimeOffset.UtcNow, Interlocked.Increment(ref _version));

    private sealed record Entry(byte[] Data, DateTimeOffset Modified, long Version)
    {
        public ObjectInfo Info(string key) => new(key, Data.LongLength, Modified, Version.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
