using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace ObjectStorage.Tests.Support;

/// <summary>The operations a <see cref="FaultyStore"/> counts and can fail.</summary>
public enum StoreOp { Get, OpenRead, Put, PutStream, PutIfNotExists, Exists, Stat, Delete, List }

/// <summary>
/// Wraps a real store, counts every call by operation and side, and throws
/// <see cref="ObjectStoreException"/> on the operations, keys and calls a test chooses, or runs a
/// hook (to hold a call at a chosen moment). Never disposes the inner store.
/// </summary>
public sealed class FaultyStore(ObjectStore inner) : WrapperStore(inner, leaveOpen: true)
{
    private readonly ConcurrentQueue<Rule> _rules = new();
    private readonly int[] _calls = new int[Enum.GetValues<StoreOp>().Length];
    private readonly int[] _asyncCalls = new int[Enum.GetValues<StoreOp>().Length];

    private sealed record Rule(StoreOp Op, Func<string, bool> Matches, int After, Action<string>? Hook);

    public override string ToString() => $"FaultyStore({Inner})";

    /// <summary>From the (<paramref name="after"/>+1)-th call on, <paramref name="op"/> on a key that <paramref name="keys"/> accepts throws.</summary>
    public FaultyStore FailOn(StoreOp op, Func<string, bool>? keys = null, int after = 0)
    {
        _rules.Enqueue(new Rule(op, keys ?? (_ => true), after, null));
        return this;
    }

    /// <summary>Runs <paramref name="hook"/> before each matching call reaches the inner store.</summary>
    public FaultyStore Before(StoreOp op, Action<string> hook, Func<string, bool>? keys = null)
    {
        _rules.Enqueue(new Rule(op, keys ?? (_ => true), 0, hook));
        return this;
    }

    /// <summary>Removes every fault and hook; counts are kept.</summary>
    public void Heal() => _rules.Clear();

    /// <summary>Calls of <paramref name="op"/> through either side.</summary>
    public int Calls(StoreOp op) => Volatile.Read(ref _calls[(int)op]);

    /// <summary>Calls of <paramref name="op"/> through the async side.</summary>
    public int AsyncCalls(StoreOp op) => Volatile.Read(ref _asyncCalls[(int)op]);

    /// <summary>Calls that read an object's bytes.</summary>
    public int BodyReads => Calls(StoreOp.Get) + Calls(StoreOp.OpenRead);

    /// <summary>Calls that wrote or deleted.</summary>
    public int Writes => Calls(StoreOp.Put) + Calls(StoreOp.PutStream) + Calls(StoreOp.PutIfNotExists) + Calls(StoreOp.Delete);

    private void Hit(StoreOp op, string key, bool isAsync = false)
    {
        int n = Interlocked.Increment(ref _calls[(int)op]);
        if (isAsync) Interlocked.Increment(ref _asyncCalls[(int)op]);
        foreach (var rule in _rules)
        {
            if (rule.Op != op || !rule.Matches(key) || n <= rule.After) continue;
            if (rule.Hook is not null) rule.Hook(key);
            else throw new ObjectStoreException(ToString(), key, $"injected fault on {op} (call {n})");
        }
    }

    protected override byte[]? GetCore(string key) { Hit(StoreOp.Get, key); return base.GetCore(key); }
    protected override ValueTask<byte[]?> GetAsyncCore(string key, CancellationToken ct) { Hit(StoreOp.Get, key, true); return base.GetAsyncCore(key, ct); }
    protected override Stream? OpenReadCore(string key) { Hit(StoreOp.OpenRead, key); return base.OpenReadCore(key); }
    protected override ValueTask<Stream?> OpenReadAsyncCore(string key, CancellationToken ct) { Hit(StoreOp.OpenRead, key, true); return base.OpenReadAsyncCore(key, ct); }
    protected override void PutCore(string key, ReadOnlyMemory<byte> data, PutOptions options) { Hit(StoreOp.Put, key); base.PutCore(key, data, options); }
    protected override ValueTask PutAsyncCore(string key, ReadOnlyMemory<byte> data, PutOptions options, CancellationToken ct) { Hit(StoreOp.Put, key, true); return base.PutAsyncCore(key, data, options, ct); }
    protected override void PutStreamCore(string key, Stream data, PutOptions options) { Hit(StoreOp.PutStream, key); base.PutStreamCore(key, data, options); }
    protected override ValueTask PutStreamAsyncCore(string key, Stream data, PutOptions options, CancellationToken ct) { Hit(StoreOp.PutStream, key, true); return base.PutStreamAsyncCore(key, data, options, ct); }
    protected override bool PutIfNotExistsCore(string key, ReadOnlyMemory<byte> data, PutOptions options) { Hit(StoreOp.PutIfNotExists, key); return base.PutIfNotExistsCore(key, data, options); }
    protected override ValueTask<bool> PutIfNotExistsAsyncCore(string key, ReadOnlyMemory<byte> data, PutOptions options, CancellationToken ct) { Hit(StoreOp.PutIfNotExists, key, true); return base.PutIfNotExistsAsyncCore(key, data, options, ct); }
    protected override bool ExistsCore(string key) { Hit(StoreOp.Exists, key); return base.ExistsCore(key); }
    protected override ValueTask<bool> ExistsAsyncCore(string key, CancellationToken ct) { Hit(StoreOp.Exists, key, true); return base.ExistsAsyncCore(key, ct); }
    protected override ObjectInfo? StatCore(string key) { Hit(StoreOp.Stat, key); return base.StatCore(key); }
    protected override ValueTask<ObjectInfo?> StatAsyncCore(string key, CancellationToken ct) { Hit(StoreOp.Stat, key, true); return base.StatAsyncCore(key, ct); }
    protected override void DeleteCore(string key) { Hit(StoreOp.Delete, key); base.DeleteCore(key); }
    protected override ValueTask DeleteAsyncCore(string key, CancellationToken ct) { Hit(StoreOp.Delete, key, true); return base.DeleteAsyncCore(key, ct); }

    protected override IEnumerable<string> KeysCore(string prefix) { Hit(StoreOp.List, prefix); return base.KeysCore(prefix); }
    protected override IEnumerable<ObjectInfo> ListCore(string prefix) { Hit(StoreOp.List, prefix); return base.ListCore(prefix); }

    protected override async IAsyncEnumerable<string> KeysAsyncCore(string prefix, [EnumeratorCancellation] CancellationToken ct)
    {
        Hit(StoreOp.List, prefix, true);
        await foreach (var key in base.KeysAsyncCore(prefix, ct)) yield return key;
    }

    protected override async IAsyncEnumerable<ObjectInfo> ListAsyncCore(string prefix, [EnumeratorCancellation] CancellationToken ct)
    {
        Hit(StoreOp.List, prefix, true);
        await foreach (var info in base.ListAsyncCore(prefix, ct)) yield return info;
    }
}
