using System.Runtime.CompilerServices;
using System.Text;
using StackExchange.Redis;

namespace ObjectStorage;

// Listing. Redis keeps keys in a hash table: SCAN visits them in no order, so a listing collects
// the keys under the prefix, sorts them by their UTF-8 bytes, then streams them. A sorted index of
// our own (a ZSET read with ZRANGEBYLEX) would stream without holding the keys, but the Python
// original writes plain SETs and would never add to it, so its data would go unlisted.
public sealed partial class RedisStore
{
    // Sizes are asked for in one script per batch, so a key deleted since the SCAN is left out
    // rather than listed as an empty object.
    private const string SizesScript = """
        local sizes = {}
        for i, key in ipairs(KEYS) do
          if redis.call('TYPE', key).ok == 'string' then sizes[i] = redis.call('STRLEN', key) else sizes[i] = -1 end
        end
        return sizes
        """;

    private const int SizeBatch = 1000;

    /// <inheritdoc/>
    protected override async IAsyncEnumerable<string> KeysAsyncCore(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var key in await SortedKeysAsync(prefix, cancellationToken).ConfigureAwait(false))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return key;
        }
    }

    /// <inheritdoc/>
    protected override async IAsyncEnumerable<ObjectInfo> ListAsyncCore(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var keys = await SortedKeysAsync(prefix, cancellationToken).ConfigureAwait(false);
        for (int start = 0; start < keys.Count; start += SizeBatch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = keys.GetRange(start, Math.Min(SizeBatch, keys.Count - start));
            long[] sizes;
            try
            {
                var result = await _db.ScriptEvaluateAsync(SizesScript, [.. batch.Select(RedisKeyOf)]).ConfigureAwait(false);
                sizes = (long[])result!;
            }
            catch (Exception ex) when (Translate(ex, null, "list") is { } error)
            {
                throw error;
            }
            for (int i = 0; i < batch.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (sizes[i] >= 0) yield return new ObjectInfo(batch[i], sizes[i]);
            }
        }
    }

    private async Task<List<string>> SortedKeysAsync(string prefix, CancellationToken cancellationToken)
    {
        var start = Encoding.UTF8.GetBytes(_prefix + prefix);
        var pattern = GlobEscaped(start);
        var keys = new List<string>();
        RedisValue cursor = 0;
        do
        {
            cancellationToken.ThrowIfCancellationRequested();
            RedisResult[] step;
            try
            {
                // TYPE string: hashes, lists and sets under the prefix are not objects of a store.
                step = (RedisResult[])(await _db.ExecuteAsync("SCAN", cursor, "MATCH", pattern, "COUNT", _options.ScanPageSize, "TYPE", "string").ConfigureAwait(false))!;
            }
            catch (Exception ex) when (Translate(ex, null, "list") is { } error)
            {
                throw error;
            }
            cursor = (RedisValue)step[0];
            foreach (var found in (RedisResult[])step[1]!)
            {
                var bytes = (byte[])found!;
                if (!bytes.AsSpan().StartsWith(start)) continue;
                if (KeyOf(bytes) is { } key) keys.Add(key);
            }
        }
        while (cursor != 0);
        // SCAN may return a key twice (when Redis rehashes during the walk).
        keys.Sort(KeyComparer.Utf8);
        int kept = 0;
        for (int i = 0; i < keys.Count; i++)
            if (kept == 0 || !string.Equals(keys[kept - 1], keys[i], StringComparison.Ordinal)) keys[kept++] = keys[i];
        keys.RemoveRange(kept, keys.Count - kept);
        return keys;
    }

    // The object key of a Redis key under the store's prefix, or null (and a report) when it is none.
    private string? KeyOf(byte[] redisKey)
    {
        string key;
        try
        {
            key = StrictUtf8.GetString(redisKey, _prefixBytes.Length, redisKey.Length - _prefixBytes.Length);
        }
        catch (DecoderFallbackException)
        {
            ReportSkipped(Convert.ToHexString(redisKey), "the Redis key is not UTF-8, so it is no object key");
            return null;
        }
        if (ObjectKey.FindBrokenRule(key, isPrefix: false) is { } rule)
        {
            ReportSkipped(_prefix + key, $"the Redis key is not one a store can hold: {rule}");
            return null;
        }
        return key;
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    // SCAN's MATCH is a glob: its special characters in the prefix are escaped, and the prefix is
    // checked again on the bytes, so the pattern only narrows what Redis sends.
    private static byte[] GlobEscaped(byte[] prefix)
    {
        var pattern = new List<byte>(prefix.Length + 8);
        foreach (var b in prefix)
        {
            if (b is (byte)'*' or (byte)'?' or (byte)'[' or (byte)']' or (byte)'\\') pattern.Add((byte)'\\');
            pattern.Add(b);
        }
        pattern.Add((byte)'*');
        return [.. pattern];
    }
}
