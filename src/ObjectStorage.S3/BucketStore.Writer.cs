using System.Buffers;
using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace ObjectStorage;

// Writes: single requests up to a part, multipart uploads beyond, and single deletes.
public sealed partial class BucketStore
{

    /// <inheritdoc/>
    protected override async ValueTask PutAsyncCore(string key, ReadOnlyMemory<byte> data, PutOptions options, CancellationToken cancellationToken)
    {
        var fullKey = FullKey(key);
        try
        {
            if (data.Length <= _options.PartSize)
                await PutObjectAsync(fullKey, data, ifNoneMatch: false, cancellationToken).ConfigureAwait(false);
            else
            {
                var upload = await NewMultipartUploadAsync(fullKey, cancellationToken).ConfigureAwait(false);
                await upload.UploadAsync(MultipartUpload.PartsOf(data, _options.PartSize), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (Translate(ex, key, "write", cancellationToken) is { } error)
        {
            throw error;
        }
    }

    /// <inheritdoc/>
    protected override async ValueTask PutStreamAsyncCore(string key, Stream data, PutOptions options, CancellationToken cancellationToken)
    {
        var fullKey = FullKey(key);
        cancellationToken.ThrowIfCancellationRequested();
        // The first part decides: a stream that ends within it goes up in one request.
        var first = ArrayPool<byte>.Shared.Rent(_options.PartSize);
        var handedOver = false;
        try
        {
            int length = await MultipartUpload.FillAsync(data, first.AsMemory(0, _options.PartSize), cancellationToken).ConfigureAwait(false);
            if (length < _options.PartSize)
            {
                await PutObjectAsync(fullKey, first.AsMemory(0, length), ifNoneMatch: false, cancellationToken).ConfigureAwait(false);
                return;
            }
            var upload = await NewMultipartUploadAsync(fullKey, cancellationToken).ConfigureAwait(false);
            handedOver = true;
            await upload.UploadAsync(MultipartUpload.PartsOf(data, first, _options.PartSize), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (Translate(ex, key, "write", cancellationToken) is { } error)
        {
            throw error;
        }
        finally
        {
            if (!handedOver) ArrayPool<byte>.Shared.Return(first);
        }
    }

    /// <inheritdoc/>
    protected override async ValueTask<bool> PutIfNotExistsAsyncCore(string key, ReadOnlyMemory<byte> data, PutOptions options, CancellationToken cancellationToken)
    {
        var fullKey = FullKey(key);
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await PutObjectAsync(fullKey, data, ifNoneMatch: true, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.PreconditionFailed)
            {
                return false;
            }
            // 409: a concurrent conditional write to the key; S3 asks for a retry.
            catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.Conflict && attempt < 3)
            {
            }
            catch (Exception ex) when (Translate(ex, key, "create", cancellationToken) is { } error)
            {
                throw error;
            }
        }
    }

    // chunked: null for what the store has learnt (BucketStore.Capabilities.cs); the probes say it.
    private async Task<PutObjectResponse> PutObjectAsync(string fullKey, ReadOnlyMemory<byte> data, bool ifNoneMatch, CancellationToken cancellationToken, bool? chunked = null)
    {
        using var body = MultipartUpload.BodyOf(data);
        var request = new PutObjectRequest
        {
            BucketName = _bucket,
            Key = fullKey,
            InputStream = body,
            AutoCloseStream = false,
            UseChunkEncoding = chunked ?? await UseChunkEncodingAsync(cancellationToken).ConfigureAwait(false),
        };
        if (ifNoneMatch) request.IfNoneMatch = "*";
        return await _client.PutObjectAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private async Task<MultipartUpload> NewMultipartUploadAsync(string fullKey, CancellationToken cancellationToken) =>
        new(_client, _bucket, fullKey, await UseChunkEncodingAsync(cancellationToken).ConfigureAwait(false), _options.MaxConcurrentParts);


    /// <inheritdoc/>
    protected override async ValueTask DeleteAsyncCore(string key, CancellationToken cancellationToken)
    {
        var request = new DeleteObjectRequest { BucketName = _bucket, Key = FullKey(key) };
        try
        {
            await _client.DeleteObjectAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (Translate(ex, key, "delete", cancellationToken) is { } error)
        {
            throw error;
        }
    }
}
