using System.Collections.Concurrent;

namespace ObjectStorage;

/// <summary>
/// Objects in memory. Thread-safe; bytes are copied in on put and out on get, so a caller that
/// changes its array afterwards does not change the stored object.
/// </summary>
/// <remarks>
/// Unbounded by default. With a capacity (in bytes of object data) the store keeps at most that
/// much and evicts the least recently used objects (by get, open or put) to make room, which makes
/// it a cache rather than a store of record: an object put earlier may be gone later. An object
/// larger than the whole capacity is refused with <see cref="ObjectStoreException"/> rather than
/// evicting everything for it.
/// </remarks>
public class DictStore : ObjectStore
{
    private readonly ConcurrentDictionary<string, Entry> _objects = new(StringComparer.Ordinal);
    private readonly LinkedList<string>? _recency; // least recently used first; null when unbounded, and then the lock of every bounded change
    private long _bytes;
    private long _version;

    /// <summary>An empty, unbounded store.</summary>
    public DictStore() { }

    /// <summary>An empty store that holds at most <paramref name="capacityBytes"/> bytes of object data, evicting the least recently used objects.</summary>
    public DictStore(long capacityBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacityBytes);
        Capacity = capacityBytes;
        _recency = new LinkedList<string>();
    }

    /// <summary>Number of objects held.</summary>
    public int Count => _objects.Count;

    /// <summary>The bound on object bytes held, or null when unbounded.</summary>
    public long? Capacity { get; }

    /// <summary>Bytes of object data held; tracked only when the store has a <see cref="Capacity"/> (0 otherwise).</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <inheritdoc/>
    public override bool CanPutIfNotExists => true;

    /// <summary>True: a range is a view of the bytes held, copied from nowhere.</summary>
    public override bool IsRangeReadNative => true;

    /// <summary>Everything: content type, user metadata and the given time to the tick, in listings too.</summary>
    public override MetadataSupport MetadataSupport => Everything;

    private static readonly MetadataSupport Everything =
        new() { Kept = MetadataKinds.All, Listed = MetadataKinds.All, TimePrecision = TimeSpan.FromTicks(1) };

    /// <summary>A location of its own: no other store reaches this one's objects.</summary>
    public override IReadOnlyList<StoreLocation> Locations => field ??= [StoreLocation.OfPrivateMemory()];

    /// <inheritdoc/>
    public override string ToString() => Capacity is { } capacity ? $"DictStore(capacity {capacity} bytes)" : "DictStore";

    /// <inheritdoc/>
    protected override byte[]? GetCore(string key) =>
        TryRead(key, out var entry) ? entry.Data.ToArray() : null;

    /// <inheritdoc/>
    protected override Stream? OpenReadCore(string key) =>
        TryRead(key, out var entry) ? new MemoryStream(entry.Data, writable: false) : null;

    /// <inheritdoc/>
    protected override Stream? OpenRangeCore(string key, long offset, long? length)
    {
        if (!TryRead(key, out var entry)) return null;
        int start = (int)Math.Min(offset, entry.Data.Length);
        int count = (int)Math.Min(length ?? long.MaxValue, entry.Data.Length - start);
        return new MemoryStream(entry.Data, start, count, writable: false);
    }

    /// <inheritdoc/>
    protected override void PutCore(string key, ReadOnlyMemory<byte> data, PutOptions options) => Store(key, NewEntry(data.ToArray(), options));

    /// <inheritdoc/>
    protected override void PutStreamCore(string key, Stream data, PutOptions options) => Store(key, NewEntry(ReadAll(key, data), options));

    // The object's bytes in one array of their exact length. A MemoryStream that doubles and is then
    // copied out peaked at three times a large object (3.1 GiB for a 1 GiB upload through objstore
    // serve); a stream that knows its length is read straight into the array, and one that does not
    // is gathered in chunks and joined once, which peaks at twice.
    private byte[] ReadAll(string key, Stream data)
    {
        var chunks = new List<byte[]>();
        long total = 0;
        var known = data.CanSeek ? data.Length - data.Position : 0;
        if (known > 0 && known <= Array.MaxLength)
        {
            var exact = new byte[known];
            var read = data.ReadAtLeast(exact, exact.Length, throwOnEndOfStream: false);
            if (read < exact.Length) return exact[..read];
            var next = data.ReadByte();
            if (next < 0) return exact;
            // The stream grew while it was read: keep what came, and go on reading.
            chunks.Add(exact);
            chunks.Add([(byte)next]);
            total = read + 1;
        }
        while (true)
        {
            // Chunks grow with what has come, from 16 KiB to 1 MiB: a small object costs no large buffer.
            var chunk = new byte[Math.Clamp(total, 16 << 10, 1 << 20)];
            var read = data.ReadAtLeast(chunk, chunk.Length, throwOnEndOfStream: false);
            if (read == 0) break;
            chunks.Add(read == chunk.Length ? chunk : chunk[..read]);
            total += read;
            if (total > Array.MaxLength)
                throw new ObjectStoreException(ToString(), key, $"the object is larger than the {Array.MaxLength:N0} bytes that a memory store holds in one object");
            if (read < chunk.Length) break;
        }
        if (chunks.Count == 1 && chunks[0].Length == total) return chunks[0];
        var bytes = new byte[total];
        var offset = 0;
        foreach (var chunk in chunks)
        {
            chunk.CopyTo(bytes, offset);
            offset += chunk.Length;
        }
        return bytes;
    }

    /// <inheritdoc/>
    protected override bool PutIfNotExistsCore(string key, ReadOnlyMemory<byte> data, PutOptions options)
    {
        if (_recency is null) return _objects.TryAdd(key, NewEntry(data.ToArray(), options));
        var entry = NewEntry(data.ToArray(), options);
        lock (_recency)
        {
            if (_objects.ContainsKey(key)) return false;
            StoreBounded(key, entry);
            return true;
        }
    }

    /// <inheritdoc/>
    protected override bool ExistsCore(string key) => _objects.ContainsKey(key);

    /// <inheritdoc/>
    protected override ObjectInfo? StatCore(string key) =>
        _objects.TryGetValue(key, out var entry) ? entry.Info(key) : null;

    /// <inheritdoc/>
    protected override void DeleteCore(string key)
    {
        if (_recency is null)
        {
            _objects.TryRemove(key, out _);
            return;
        }
        lock (_recency)
        {
            if (_objects.TryRemove(key, out var old)) Forget(old);
        }
    }

    /// <inheritdoc/>
    protected override IEnumerable<string> KeysCore(string prefix) => MatchingKeys(prefix).Where(_objects.ContainsKey);

    /// <inheritdoc/>
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

    private bool TryRead(string key, out Entry entry)
    {
        if (!_objects.TryGetValue(key, out entry!)) return false;
        if (_recency is not null)
        {
            lock (_recency)
            {
                // The entry may have been replaced or evicted since it was read; then there is nothing to refresh.
                if (entry.Node!.List is not null)
                {
                    _recency.Remove(entry.Node);
                    _recency.AddLast(entry.Node);
                }
            }
        }
        return true;
    }

    private void Store(string key, Entry entry)
    {
        if (_recency is null)
        {
            _objects[key] = entry;
            return;
        }
        lock (_recency) StoreBounded(key, entry);
    }

    // Under the lock: drop the old version, evict from the least recently used end until the new
    // data fits, then add it, so that Bytes never exceeds the capacity, not even for a moment.
    private void StoreBounded(string key, Entry entry)
    {
        long size = entry.Data.LongLength;
        if (size > Capacity)
            throw Failure(key, $"the object ({size} bytes) is larger than the store's whole capacity ({Capacity} bytes)");
        if (_objects.TryGetValue(key, out var old)) Forget(old);
        while (_bytes + size > Capacity)
        {
            var victim = _recency!.First!.Value;
            if (_objects.TryRemove(victim, out var evicted)) Forget(evicted);
            else _recency.RemoveFirst();
        }
        entry.Node = _recency!.AddLast(key);
        _objects[key] = entry;
        Interlocked.Add(ref _bytes, size);
    }

    private void Forget(Entry entry)
    {
        _recency!.Remove(entry.Node!);
        Interlocked.Add(ref _bytes, -entry.Data.LongLength);
    }

    private Entry NewEntry(byte[] data, PutOptions options) =>
        new(data, options.LastModified?.ToUniversalTime() ?? DateTimeOffset.UtcNow, Interlocked.Increment(ref _version), options.ContentType, options.UserMetadata);

    private sealed class Entry(byte[] data, DateTimeOffset modified, long version, string? contentType, UserMetadata metadata)
    {
        public byte[] Data { get; } = data;

        // This entry's place in the recency list of a bounded store.
        public LinkedListNode<string>? Node { get; set; }

        public ObjectInfo Info(string key) => new(key, Data.LongLength, modified, version.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            ContentType = contentType,
            Metadata = metadata,
        };
    }
}
