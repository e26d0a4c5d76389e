using Amazon.S3.Model;

namespace ObjectStorage;

// Batch deletes: up to 1,000 keys per DeleteObjects request.
public sealed partial class BucketStore
{
    private const int DeleteBatchSize = 1000;

    /// <summary>True: <see cref="ObjectStore.DeleteMany(IEnumerable{string})"/> and <see cref="ObjectStore.DeletePrefix(string)"/> send DeleteObjects requests of 1,000 keys.</summary>
    public override bool IsDeleteManyNative => true;

    /// <summary>Deletes with batched DeleteObjects requests; throws <see cref="ObjectStoreException"/> naming the first key the service refused.</summary>
    protected override async ValueTask DeleteManyAsyncCore(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        // Every key is mapped (and checked against the prefix's share of the limit) before the first request.
        var fullKeys = keys.Select(FullKey).ToList();
        for (int start = 0; start < fullKeys.Count; start += DeleteBatchSize)
            await DeleteBatchAsync(fullKeys.GetRange(start, Math.Min(DeleteBatchSize, fullKeys.Count - start)), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes in batches of 1,000 while the listing streams; S3 listings tolerate deletes behind them.</summary>
    protected override async ValueTask<long> DeletePrefixAsyncCore(string prefix, CancellationToken cancellationToken)
    {
        long count = 0;
        var batch = new List<string>(DeleteBatchSize);
        await foreach (var info in ListAsyncCore(prefix, cancellationToken).ConfigureAwait(false))
        {
            batch.Add(FullKey(info.Key));
            if (batch.Count < DeleteBatchSize) continue;
            count += await DeleteBatchAsync(batch, cancellationToken).ConfigureAwait(false);
            batch = new List<string>(DeleteBatchSize);
        }
        if (batch.Count > 0) count += await DeleteBatchAsync(batch, cancellationToken).ConfigureAwait(false);
        return count;
    }

    private async Task<int> DeleteBatchAsync(List<string> fullKeys, CancellationToken cancellationToken)
    {
        var request = new DeleteObjectsRequest { BucketName = _bucket, Quiet = true };
        foreach (var fullKey in fullKeys) request.AddKey(fullKey);
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
            throw Failure(first.Key[_prefix.Length..], $"{errors.Count} of {fullKeys.Count} deletes failed; the first with S3 error {first.Code}: {first.Message}");
        }
        return fullKeys.Count;
    }
}
