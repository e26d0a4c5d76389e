using System.Runtime.CompilerServices;

namespace ObjectStorage;

/// <summary>
/// Puts a listing that a service sorts by UTF-16 code units (or already by UTF-8 bytes) into UTF-8
/// byte order, streaming. The two orders differ only where, at the first difference, one key has
/// a supplementary character (a surrogate pair, D800..DFFF) and the other a character in
/// E000..FFFF: UTF-16 puts the surrogate first, UTF-8 last. So a key with a surrogate can only
/// come too early, never too late: such keys are held back, in UTF-8 order, until the listing
/// reaches a key that sorts after them. Only those keys are buffered.
/// </summary>
internal static class Utf16ListingOrder
{
    public static async IAsyncEnumerable<ObjectInfo> ToUtf8Order(IAsyncEnumerable<ObjectInfo> listing, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var held = new SortedSet<ObjectInfo>(Comparer<ObjectInfo>.Create(static (a, b) => KeyComparer.Utf8.Compare(a.Key, b.Key)));
        await foreach (var info in listing.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (HasSurrogate(info.Key))
            {
                held.Add(info);
                continue;
            }
            while (held.Count > 0 && KeyComparer.Utf8.Compare(held.Min!.Key, info.Key) < 0)
            {
                var first = held.Min!;
                held.Remove(first);
                yield return first;
            }
            yield return info;
        }
        foreach (var info in held) yield return info;
    }

    private static bool HasSurrogate(string key)
    {
        foreach (var c in key)
            if (char.IsSurrogate(c)) return true;
        return false;
    }
}
