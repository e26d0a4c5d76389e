namespace ObjectStorage;

/// <summary>Byte-by-byte comparison of one key's objects in two stores, streamed in chunks: for <see cref="SyncCompare.Content"/> and a downloading check.</summary>
internal static class ContentComparison
{
    private const int Chunk = 81920;

    /// <summary>True when both stores hold the same bytes under <paramref name="key"/>.</summary>
    public static bool Same(ObjectStore source, ObjectStore target, string key)
    {
        using var a = source.OpenRead(key);
        using var b = target.OpenRead(key);
        var left = new byte[Chunk];
        var right = new byte[Chunk];
        while (true)
        {
            int n = a.ReadAtLeast(left, Chunk, throwOnEndOfStream: false);
            int m = b.ReadAtLeast(right, Chunk, throwOnEndOfStream: false);
            if (n != m || !left.AsSpan(0, n).SequenceEqual(right.AsSpan(0, m))) return false;
            if (n < Chunk) return true;
        }
    }

    /// <inheritdoc cref="Same"/>
    public static async ValueTask<bool> SameAsync(ObjectStore source, ObjectStore target, string key, CancellationToken cancellationToken)
    {
        var a = await source.OpenReadAsync(key, cancellationToken).ConfigureAwait(false);
        await using (a.ConfigureAwait(false))
        {
            var b = await target.OpenReadAsync(key, cancellationToken).ConfigureAwait(false);
            await using (b.ConfigureAwait(false))
            {
                var left = new byte[Chunk];
                var right = new byte[Chunk];
                while (true)
                {
                    int n = await a.ReadAtLeastAsync(left, Chunk, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
                    int m = await b.ReadAtLeastAsync(right, Chunk, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
                    if (n != m || !left.AsSpan(0, n).SequenceEqual(right.AsSpan(0, m))) return false;
                    if (n < Chunk) return true;
                }
            }
        }
    }
}
