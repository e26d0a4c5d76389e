using Amazon.S3.Model;

namespace ObjectStorage;

// Batch deletes: up to 1,000 keys per DeleteObjects request.
public sealed partial class BucketStore
{
    private const int DeleteBatchSize = 1000;

    /// <summary>
    /// Deletes the given keys with batched DeleteObjects requests (1,000 keys each); missing keys
    /// are not an error; an invalid key deletes nothing. Returns how many keys were sent. Throws
    /// <see cref="ObjectStoreException"/> naming the first key the service refused.
    /// </summary>
    public Task<int> DeleteManyAsync(IEnumerable<string> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ThrowIfDisposed();
        // All keys are checked before the first request, so a bad key deletes nothing.
        var list = keys.ToList();
        foreach (var key in list)
        {
            ObjectKey.Validate(key);
            FullKey(key);
        }
        return DeleteInBatchesAsync(list.ToAsyncEnumerable(), cancellationToken);
    }

    /// <summary>
    /// Deletes every object whose key starts with <paramref name="prefix"/> ("" clears the store),
    /// in batches of 1,000 while the listing streams; returns how many.
    /// </summary>
    public Task<int> DeletePrefixAsync(string prefix, CancellationToken cancellationToken = default) =>
        DeleteInBatchesAsync(KeysAsync(prefix, cancellationToken), cancellationToken);

    private async Task<int> DeleteInBatchesAsync(IAsyncEnumerable<string> keys, CancellationToken cancellationToken)
    {
        int count = 0;
        var batch = new List<string>(DeleteBatchSize);
        await foreach (var key in keys.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            batch.Add(FullKey(key));
            if (batch.Count == DeleteBatchSize) count += await DeleteBatchAsync(batch, cancellationToken).ConfigureAwait(false);
        }
        if (batch.Count > 0) count += await DeleteBatchAsync(batch, cancellationToken).ConfigureAwait(false);
        return count;
    }

    /// <inheritdoc cref="DeleteManyAsync(IEnumerable{string}, CancellationToken)"/>
    public int DeleteMany(IEnumerable<string> keys) => Block(() => DeleteManyAsync(keys, CancellationToken.None));

    /// <inheritdoc cref="DeletePrefixAsync(string, CancellationToken)"/>
    public int DeletePrefix(string prefix) => Block(() => DeletePrefixAsync(prefix, CancellationToken.None));

    private async Task<int> DeleteBatchAsync(List<string> fullKeys, CancellationToken cancellationToken)
    {
        var request = new DeleteObjectsRequest { BucketName = _bucket, Quiet = true };
        foreach (var fullKey in fullKeys) request.AddKey(fullKey);
        int count = fullKeys.Count;
        fullKeys.Clear();
        DeleteObjectsResponse response;
        try
        {
            response = await _client.DeleteObjectsAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (Translate(ex, null, "delete many", cancellationToken) is { } error)
        {
            throw error;
        }
        if (response.DeleteErrors is { Count: > 0 } errors)
        {
            var first = errors[0];
            throw Failure(first.Key[_prefix.Length..], $"{errors.Count} of {count} deletes failed; the first with S3 error {first.Code}: {first.Message}");
        }
        return count;
    }
}
