using StackExchange.Redis;

namespace ObjectStorage;

// One object: GET, SET, SET NX, GETRANGE, TYPE and STRLEN, DEL.
public sealed partial class RedisStore
{
    /// <inheritdoc/>
    protected override async ValueTask<byte[]?> GetAsyncCore(string key, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            var value = await _db.StringGetAsync(RedisKeyOf(key)).ConfigureAwait(false);
            return value.IsNull ? null : (byte[]?)value ?? [];
        }
        catch (Exception ex) when (Translate(ex, key, "read") is { } error)
        {
            throw error;
        }
    }

    /// <inheritdoc/>
    protected override async ValueTask<Stream?> OpenRangeAsyncCore(string key, long offset, long? length, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var redisKey = RedisKeyOf(key);
        try
        {
            // GETRANGE of a missing key is an empty string, so TYPE in the same transaction tells the two apart.
            var transaction = _db.CreateTransaction();
            var type = transaction.KeyTypeAsync(redisKey);
            var bytes = length == 0 ? null : transaction.StringGetRangeAsync(redisKey, offset, length is { } count ? offset + count - 1 : -1);
            await transaction.ExecuteAsync().ConfigureAwait(false);
            if (!IsObject(await type.ConfigureAwait(false), key)) return null;
            var data = bytes is null ? [] : (byte[]?)await bytes.ConfigureAwait(false) ?? [];
            return new MemoryStream(data, writable: false);
        }
        catch (Exception ex) when (Translate(ex, key, "read") is { } error)
        {
            throw error;
        }
    }

    // The tag is the SHA-1 of the value, computed inside Redis: the value never crosses the network,
    // and equal tags mean equal bytes, also between two Redis stores.
    private const string StatScript = """
        local kind = redis.call('TYPE', KEYS[1]).ok
        if kind ~= 'string' then return {kind} end
        local value = redis.call('GET', KEYS[1])
        return {kind, string.len(value), redis.sha1hex(value)}
        """;

    /// <summary>The object's size and an ETag that is the SHA-1 of its bytes (computed by Redis), or null when absent.</summary>
    protected override async ValueTask<ObjectInfo?> StatAsyncCore(string key, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            var result = (RedisResult[])(await _db.ScriptEvaluateAsync(StatScript, [RedisKeyOf(key)]).ConfigureAwait(false))!;
            if (!IsObject(Enum.TryParse<RedisType>((string?)result[0], ignoreCase: true, out var type) ? type : RedisType.Unknown, key)) return null;
            return new ObjectInfo(key, (long)result[1], ETag: (string?)result[2]);
        }
        catch (Exception ex) when (Translate(ex, key, "look up") is { } error)
        {
            throw error;
        }
    }

    /// <inheritdoc/>
    protected override async ValueTask<bool> ExistsAsyncCore(string key, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            return IsObject(await _db.KeyTypeAsync(RedisKeyOf(key)).ConfigureAwait(false), key);
        }
        catch (Exception ex) when (Translate(ex, key, "look up") is { } error)
        {
            throw error;
        }
    }

    /// <summary>Stores the object with one SET; throws <see cref="ObjectStoreException"/> above <see cref="MaxObjectBytes"/>.</summary>
    protected override async ValueTask PutAsyncCore(string key, ReadOnlyMemory<byte> data, PutOptions options, CancellationToken cancellationToken)
    {
        CheckSize(key, data.Length);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            await _db.StringSetAsync(RedisKeyOf(key), data).ConfigureAwait(false);
        }
        catch (Exception ex) when (Translate(ex, key, "write") is { } error)
        {
            throw error;
        }
    }

    /// <summary>Reads the stream into memory (a Redis string is written whole) and stores it; stops reading and throws as soon as it passes <see cref="MaxObjectBytes"/>.</summary>
    protected override async ValueTask PutStreamAsyncCore(string key, Stream data, PutOptions options, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await data.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            CheckSize(key, buffer.Length + read);
            buffer.Write(chunk, 0, read);
        }
        await PutAsyncCore(key, buffer.GetBuffer().AsMemory(0, (int)buffer.Length), options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One SET with NX: true when written, false (and nothing written) when the key is taken.</summary>
    protected override async ValueTask<bool> PutIfNotExistsAsyncCore(string key, ReadOnlyMemory<byte> data, PutOptions options, CancellationToken cancellationToken)
    {
        CheckSize(key, data.Length);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            return await _db.StringSetAsync(RedisKeyOf(key), data, null, When.NotExists).ConfigureAwait(false);
        }
        catch (Exception ex) when (Translate(ex, key, "create") is { } error)
        {
            throw error;
        }
    }

    /// <summary>Stores every object with one MSET: Redis applies it whole, so readers see all or none.</summary>
    protected override async ValueTask PutManyAsyncCore(IReadOnlyList<KeyValuePair<string, ReadOnlyMemory<byte>>> objects, CancellationToken cancellationToken)
    {
        var pairs = new KeyValuePair<RedisKey, RedisValue>[objects.Count];
        for (int i = 0; i < objects.Count; i++)
        {
            CheckSize(objects[i].Key, objects[i].Value.Length);
            pairs[i] = new(RedisKeyOf(objects[i].Key), objects[i].Value);
        }
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            await _db.StringSetAsync(pairs).ConfigureAwait(false);
        }
        catch (Exception ex) when (Translate(ex, null, $"write {objects.Count} objects") is { } error)
        {
            throw error;
        }
    }

    /// <inheritdoc/>
    protected override async ValueTask DeleteAsyncCore(string key, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            await _db.KeyDeleteAsync(RedisKeyOf(key)).ConfigureAwait(false);
        }
        catch (Exception ex) when (Translate(ex, key, "delete") is { } error)
        {
            throw error;
        }
    }

    /// <summary>Deletes with DEL commands of up to 1,000 keys each.</summary>
    protected override async ValueTask DeleteManyAsyncCore(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        for (int start = 0; start < keys.Count; start += DeleteBatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = new RedisKey[Math.Min(DeleteBatchSize, keys.Count - start)];
            for (int i = 0; i < batch.Length; i++) batch[i] = RedisKeyOf(keys[start + i]);
            try
            {
                await _db.KeyDeleteAsync(batch).ConfigureAwait(false);
            }
            catch (Exception ex) when (Translate(ex, keys[start], $"delete {batch.Length} keys from") is { } error)
            {
                throw error;
            }
        }
    }

    private const int DeleteBatchSize = 1000;

    // A string is an object; nothing is none; a hash, list or set under the key belongs to someone else.
    private bool IsObject(RedisType type, string key) => type switch
    {
        RedisType.String => true,
        RedisType.None => false,
        _ => throw Failure(key, $"the Redis key holds a {type.ToString().ToLowerInvariant()}, not a string, so it is no object of this store"),
    };

    private void CheckSize(string key, long size)
    {
        if (size > _options.MaxObjectBytes)
            throw Failure(key, $"the object is larger than this store's limit of {_options.MaxObjectBytes} bytes (RedisStoreOptions.MaxObjectBytes; a Redis string holds at most 512 MiB), so nothing was written");
    }
}
