using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace ObjectStorage;

/// <summary>
/// Two stores' listings walked together in key order (a merge join with one entry of each in hand,
/// so neither key set is held), the pairs handed to parallel workers: what <see cref="StoreSync"/>
/// and <see cref="StoreCheck"/> share.
/// </summary>
internal static class ListingJoin
{
    /// <summary>The source's and the target's entry for each key, in key order; null where a store lacks the key. <paramref name="selected"/> drops pairs whose deciding entry (the source's, else the target's) it refuses.</summary>
    public static IEnumerable<(ObjectInfo? Source, ObjectInfo? Target)> Pair(IEnumerable<ObjectInfo> source, IEnumerable<ObjectInfo> target,
        Func<ObjectInfo, bool>? selected = null)
    {
        using var s = source.GetEnumerator();
        using var t = target.GetEnumerator();
        bool hasSource = s.MoveNext(), hasTarget = t.MoveNext();
        while (hasSource || hasTarget)
        {
            int order = !hasSource ? 1 : !hasTarget ? -1 : KeyComparer.Utf8.Compare(s.Current.Key, t.Current.Key);
            var pair = (order <= 0 ? s.Current : null, order >= 0 ? t.Current : null);
            if (selected is null || selected(pair.Item1 ?? pair.Item2!)) yield return pair;
            if (order <= 0) hasSource = s.MoveNext();
            if (order >= 0) hasTarget = t.MoveNext();
        }
    }

    /// <inheritdoc cref="Pair"/>
    public static async IAsyncEnumerable<(ObjectInfo? Source, ObjectInfo? Target)> PairAsync(IAsyncEnumerable<ObjectInfo> source, IAsyncEnumerable<ObjectInfo> target,
        Func<ObjectInfo, bool>? selected, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var s = source.GetAsyncEnumerator(cancellationToken);
        await using (s.ConfigureAwait(false))
        {
            var t = target.GetAsyncEnumerator(cancellationToken);
            await using (t.ConfigureAwait(false))
            {
                bool hasSource = await s.MoveNextAsync().ConfigureAwait(false), hasTarget = await t.MoveNextAsync().ConfigureAwait(false);
                while (hasSource || hasTarget)
                {
                    int order = !hasSource ? 1 : !hasTarget ? -1 : KeyComparer.Utf8.Compare(s.Current.Key, t.Current.Key);
                    var pair = (order <= 0 ? s.Current : null, order >= 0 ? t.Current : null);
                    if (selected is null || selected(pair.Item1 ?? pair.Item2!)) yield return pair;
                    if (order <= 0) hasSource = await s.MoveNextAsync().ConfigureAwait(false);
                    if (order >= 0) hasTarget = await t.MoveNextAsync().ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>Runs <paramref name="body"/> on each pair, <paramref name="parallelism"/> at a time, throwing a single failure as itself rather than inside an <see cref="AggregateException"/>.</summary>
    public static void ForEachInParallel<T>(IEnumerable<T> items, int parallelism, Action<T> body)
    {
        try
        {
            Parallel.ForEach(Partitioner.Create(items, EnumerablePartitionerOptions.NoBuffering), new ParallelOptions { MaxDegreeOfParallelism = parallelism }, body);
        }
        catch (AggregateException ex) when (ex.InnerExceptions.Count == 1)
        {
            ExceptionDispatchInfo.Capture(ex.InnerExceptions[0]).Throw();
        }
    }

    /// <summary>A filter as the pair selector of <see cref="Pair"/>, ages taken at <paramref name="now"/>; null when there is no filter.</summary>
    public static Func<ObjectInfo, bool>? Selector(ObjectFilter? filter, DateTimeOffset now) =>
        filter is null ? null : info => filter.Matches(info, now);

    /// <summary>Puts what either store's listing passes over into <paramref name="into"/> until the returned handle is disposed.</summary>
    public static IDisposable CollectSkipped(ObjectStore source, ObjectStore target, ConcurrentQueue<SkippedEntry> into)
    {
        EventHandler<SkippedEntry> collect = (_, entry) => into.Enqueue(entry);
        source.EntrySkipped += collect;
        target.EntrySkipped += collect;
        return new Unsubscribe(() =>
        {
            source.EntrySkipped -= collect;
            target.EntrySkipped -= collect;
        });
    }

    private sealed class Unsubscribe(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}
