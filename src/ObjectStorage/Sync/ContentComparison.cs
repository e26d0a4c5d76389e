using System.Security.Cryptography;

namespace ObjectStorage;

/// <summary>
/// Whether two stores hold the same bytes under one key: byte by byte, streamed in chunks (for <see cref="SyncCompare.Content"/>
/// and a downloading check), or one store's bytes hashed against the other's ETag where that tag is an MD5 of the content.
/// </summary>
internal static class ContentComparison
{
    private const int Chunk = 81920;
    private const int Md5HexLength = 32;

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

    /// <summary>
    /// The MD5 an ETag of a store of <paramref name="kind"/> (<see cref="ObjectStore.ETagKind"/>) holds, as lower-case hex,
    /// when the tag is the plain MD5 of the content; null otherwise. An S3 multipart tag ("...-3") is no MD5 and is refused by
    /// its form; an SSE-KMS or SSE-C tag has the form but not the value, so a caller must treat a mismatch as "unknown".
    /// </summary>
    public static string? Md5Of(string? kind, string? etag)
    {
        if (!TagsMayBeMd5(kind) || etag is null) return null;
        var hex = etag.AsSpan().Trim('"');
        if (hex.Length != Md5HexLength) return null;
        foreach (char c in hex)
            if (!char.IsAsciiHexDigit(c)) return null;
        return hex.ToString().ToLowerInvariant();
    }

    /// <summary>True for the <see cref="ObjectStore.ETagKind"/>s whose tags are, at least for some objects, the plain MD5 of the content.</summary>
    public static bool TagsMayBeMd5(string? kind) => kind is "s3-md5" or "md5";

    /// <summary>True when <paramref name="store"/> holds bytes under <paramref name="key"/> whose MD5 is <paramref name="md5"/> (lower-case hex, from <see cref="Md5Of"/>); false when they differ or are gone.</summary>
    public static bool HasMd5(ObjectStore store, string key, string md5)
    {
        using var data = store.TryOpenRead(key);
        return data is not null && string.Equals(Convert.ToHexStringLower(MD5.HashData(data)), md5, StringComparison.Ordinal);
    }
}
