using Amazon.S3.Model;

namespace ObjectStorage;

// Reads: whole objects, streams and metadata.
public sealed partial class BucketStore
{

    /// <inheritdoc/>
    protected override async ValueTask<byte[]?> GetAsyncCore(string key, CancellationToken cancellationToken)
    {
        var request = new GetObjectRequest { BucketName = _bucket, Key = FullKey(key) };
        try
        {
            using var response = await _client.GetObjectAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.ContentLength > Array.MaxLength)
                throw Failure(key, $"the object is {response.ContentLength} bytes, too large for one array; use OpenRead");
            var data = new byte[response.ContentLength];
            await response.ResponseStream.ReadExactlyAsync(data, cancellationToken).ConfigureAwait(false);
            return data;
        }
        catch (Exception ex) when (IsMissingKey(ex))
        {
            return null;
        }
        catch (Exception ex) when (Translate(ex, key, "read", cancellationToken) is { } error)
        {
            throw error;
        }
    }

    /// <inheritdoc/>
    protected override ValueTask<Stream?> OpenReadAsyncCore(string key, CancellationToken cancellationToken) =>
        OpenRangeAsync(key, range: null, 0, null, cancellationToken);


    /// <inheritdoc/>
    protected override async ValueTask<bool> ExistsAsyncCore(string key, CancellationToken cancellationToken) =>
        await StatAsyncCore(key, cancellationToken).ConfigureAwait(false) is not null;

    /// <inheritdoc/>
    protected override async ValueTask<ObjectInfo?> StatAsyncCore(string key, CancellationToken cancellationToken)
    {
        var request = new GetObjectMetadataRequest { BucketName = _bucket, Key = FullKey(key) };
        try
        {
            var response = await _client.GetObjectMetadataAsync(request, cancellationToken).ConfigureAwait(false);
            _bucketSeen = true;
            return InfoOf(key, response);
        }
        catch (Exception ex) when (IsMissingKey(ex))
        {
            // A HEAD answer has no body, so a missing bucket looks like a missing key; ask once.
            if (!_bucketSeen) await EnsureBucketAsync(key, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (Exception ex) when (Translate(ex, key, "look up", cancellationToken) is { } error)
        {
            throw error;
        }
    }

    private async Task EnsureBucketAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            await _client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _bucket, Prefix = _prefix, MaxKeys = 1 }, cancellationToken).ConfigureAwait(false);
            _bucketSeen = true;
        }
        catch (Exception ex) when (Translate(ex, key, "look up", cancellationToken) is { } error)
        {
            throw error;
        }
    }
}
