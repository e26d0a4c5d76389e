namespace ObjectStorage;

/// <summary>
/// Merges listings that are each in <see cref="KeyComparer.Utf8"/> order into one ordered listing
/// without duplicates, holding one item per source: a k-way merge. Where sources share a key, the
/// item of the earliest source wins.
/// </summary>
internal static class OrderedMerge
{
    public static IEnumerable<T> Union<T>(IReadOnlyList<IEnumerable<T>> sources, Func<T, string> keyOf)
    {
        var cursors = new IEnumerator<T>[sources.Count];
        var heads = NewQueue();
        try
        {
            for (int i = 0; i < sources.Count; i++)
            {
                cursors[i] = sources[i].GetEnumerator();
                if (cursors[i].MoveNext()) heads.Enqueue(i, (keyOf(cursors[i].Current), i));
            }
            string? last = null;
            while (heads.TryDequeue(out int source, out var head))
            {
                if (last is null || !KeyComparer.Utf8.Equals(last, head.Key))
                {
                    last = head.Key;
                    yield return cursors[source].Current;
                }
                if (cursors[source].MoveNext()) heads.Enqueue(source, (keyOf(cursors[source].Current), source));
            }
        }
        finally
        {
            foreach (var cursor in cursors) cursor?.Dispose();
        }
    }

    public static async IAsyncEnumerable<T> UnionAsync<T>(IReadOnlyList<IAsyncEnumerable<T>> sources, Func<T, string> keyOf,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var cursors = new IAsyncEnumerator<T>[sources.Count];
        var heads = NewQueue();
        try
        {
            for (int i = 0; i < sources.Count; i++)
            {
                cursors[i] = sources[i].GetAsyncEnumerator(cancellationToken);
                if (await cursors[i].MoveNextAsync().ConfigureAwait(false)) heads.Enqueue(i, (keyOf(cursors[i].Current), i));
            }
            string? last = null;
            while (heads.TryDequeue(out int source, out var head))
            {
                if (last is null || !KeyComparer.Utf8.Equals(last, head.Key))
                {
                    last = head.Key;
                    yield return cursors[source].Current;
                }
                if (await cursors[source].MoveNextAsync().ConfigureAwait(false)) heads.Enqueue(source, (keyOf(cursors[source].Current), source));
            }
        }
        finally
        {
            foreach (var cursor in cursors)
                if (cursor is not null) await cursor.DisposeAsync().ConfigureAwait(false);
        }
    }

    // By key, then by source, so the earliest source's item of a shared key comes out first.
    private static PriorityQueue<int, (string Key, int Source)> NewQueue() => new(Comparer<(string Key, int Source)>.Create(static (x, y) =>
    {
        int byKey = KeyComparer.Utf8.Compare(x.Key, y.Key);
        return byKey != 0 ? byKey : x.Source.CompareTo(y.Source);
    }));
}
