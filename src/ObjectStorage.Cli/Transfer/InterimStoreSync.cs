// A stand-in for the library's StoreSync (src/ObjectStorage/Sync, on the composites branch) with
// the same names and shapes, so the commands compile before it is merged. Once StoreSync is in the
// core, delete this file: sync and cp then run on the library's StoreSync, with no other change.

namespace ObjectStorage;

internal enum SyncCompare { SizeThenHash, Size, Content, Missing, Always }

internal enum SyncAction { Copy, Update, Delete, Unchanged, KeepExtraneous }

internal sealed record SyncFailure(string Key, SyncAction Action, Exception Error);

internal readonly record struct SyncProgress(string Key, SyncAction Action, long Bytes, Exception? Error);

internal sealed record SyncOptions
{
    public bool DeleteExtraneous { get; init; }
    public bool DryRun { get; init; }
    public SyncCompare Compare { get; init; } = SyncCompare.SizeThenHash;
    public int Parallelism { get; init; } = 8;
    public string Prefix { get; init; } = "";
    public IProgress<SyncProgress>? Progress { get; init; }
}

internal sealed record SyncReport
{
    public long Copied { get; init; }
    public long Updated { get; init; }
    public long Deleted { get; init; }
    public long Unchanged { get; init; }
    public long Extraneous { get; init; }
    public long BytesCopied { get; init; }
    public IReadOnlyList<SyncFailure> Failures { get; init; } = [];
    public bool DryRun { get; init; }
    public bool Succeeded => Failures.Count == 0;
}

internal static class StoreSync
{
    public static async Task<SyncReport> SyncAsync(ObjectStore source, ObjectStore target, SyncOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new SyncOptions();
        ObjectKey.ValidatePrefix(options.Prefix);
        if (!options.DryRun && !target.CanWrite) throw new NotSupportedException($"Cannot sync into {target}: it is read-only (CanWrite is false).");
        var failures = new System.Collections.Concurrent.ConcurrentQueue<SyncFailure>();
        var counts = new long[5];
        long bytes = 0;
        var pairs = Pair(source.ListAsync(options.Prefix, cancellationToken), target.ListAsync(options.Prefix, cancellationToken));
        await Parallel.ForEachAsync(pairs, new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism, CancellationToken = cancellationToken }, async (pair, ct) =>
        {
            var key = (pair.Source ?? pair.Target)!.Key;
            var action = SyncAction.Unchanged;
            try
            {
                action = Decide(pair, options);
                if (action == SyncAction.Update && options.Compare == SyncCompare.Content && pair.Source!.Size == pair.Target!.Size)
                {
                    var (a, b) = (await source.GetAsync(key, ct), await target.GetAsync(key, ct));
                    if (a.AsSpan().SequenceEqual(b)) action = SyncAction.Unchanged;
                }
                if (!options.DryRun && action is SyncAction.Copy or SyncAction.Update)
                {
                    await using var data = await source.OpenReadAsync(key, ct);
                    await target.PutAsync(key, data, ct);
                }
                else if (!options.DryRun && action == SyncAction.Delete) await target.DeleteAsync(key, ct);
                long moved = action is SyncAction.Copy or SyncAction.Update ? pair.Source!.Size : 0;
                Interlocked.Increment(ref counts[(int)action]);
                Interlocked.Add(ref bytes, moved);
                options.Progress?.Report(new SyncProgress(key, action, moved, null));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                failures.Enqueue(new SyncFailure(key, action, e));
                options.Progress?.Report(new SyncProgress(key, action, 0, e));
            }
        });
        return new SyncReport
        {
            Copied = counts[(int)SyncAction.Copy],
            Updated = counts[(int)SyncAction.Update],
            Deleted = counts[(int)SyncAction.Delete],
            Unchanged = counts[(int)SyncAction.Unchanged],
            Extraneous = counts[(int)SyncAction.KeepExtraneous],
            BytesCopied = bytes,
            Failures = [.. failures.OrderBy(static f => f.Key, KeyComparer.Utf8)],
            DryRun = options.DryRun,
        };
    }

    private static SyncAction Decide((ObjectInfo? Source, ObjectInfo? Target) pair, SyncOptions options)
    {
        if (pair.Target is not { } target) return SyncAction.Copy;
        if (pair.Source is not { } source) return options.DeleteExtraneous ? SyncAction.Delete : SyncAction.KeepExtraneous;
        if (options.Compare == SyncCompare.Missing) return SyncAction.Unchanged;
        if (options.Compare == SyncCompare.Always || source.Size != target.Size) return SyncAction.Update;
        return options.Compare switch
        {
            SyncCompare.Content => SyncAction.Update,
            SyncCompare.SizeThenHash when source.LastModified is { } changed && target.LastModified is { } copied =>
                changed > copied ? SyncAction.Update : SyncAction.Unchanged,
            _ => SyncAction.Unchanged,
        };
    }

    private static async IAsyncEnumerable<(ObjectInfo? Source, ObjectInfo? Target)> Pair(IAsyncEnumerable<ObjectInfo> source, IAsyncEnumerable<ObjectInfo> target)
    {
        await using var s = source.GetAsyncEnumerator();
        await using var t = target.GetAsyncEnumerator();
        bool hasSource = await s.MoveNextAsync(), hasTarget = await t.MoveNextAsync();
        while (hasSource || hasTarget)
        {
            int order = !hasSource ? 1 : !hasTarget ? -1 : KeyComparer.Utf8.Compare(s.Current.Key, t.Current.Key);
            yield return (order <= 0 ? s.Current : null, order >= 0 ? t.Current : null);
            if (order <= 0) hasSource = await s.MoveNextAsync();
            if (order >= 0) hasTarget = await t.MoveNextAsync();
        }
    }
}
