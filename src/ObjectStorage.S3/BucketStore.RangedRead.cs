using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace ObjectStorage;

// Ranged reads: part of an object as a stream straight from the service (an HTTP Range request).
public sealed partial class BucketStore
{
    /// <summary>True: a range is one GET with a Range header; only its bytes cross the network.</summary>
    public override bool IsRangeReadNative => true;

    /// <inheritdoc/>
    protected override async ValueTask<Stream?> OpenRangeAsyncCore(string key, long offset, long? length, CancellationToken cancellationToken)
    {
        // HTTP cannot ask for zero bytes: whether the object exists is all there is to learn.
        if (length == 0)
            return await StatAsyncCore(key, cancellationToken).ConfigureAwait(false) is null ? null : new MemoryStream([], writable: false);
        var range = length is { } count ? new ByteRange(offset, offset + count - 1) : new ByteRange($"bytes={offset}-");
        return await OpenRangeAsync(key, range, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<Stream?> OpenRangeAsync(string key, ByteRange? range, CancellationToken cancellationToken)
    {
        var request = new GetObjectRequest { BucketName = _bucket, Key = FullKey(key), ByteRange = range };
        try
        {
            var response = await _client.GetObjectAsync(request, cancellationToken).ConfigureAwait(false);
            return new S3ObjectStream(response, ex => Translate(ex, key, "read", CancellationToken.None));
        }
        catch (Exception ex) when (IsMissingKey(ex))
        {
            return null;
        }
        // 416: the object exists and the range starts at or after its end, which every store answers with no bytes.
        catch (AmazonS3Exception ex) when (range is not null && ex.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            return new MemoryStream([], writable: false);
        }
        catch (Exception ex) when (Translate(ex, key, "read", cancellationToken) is { } error)
        {
            throw error;
        }
    }
}
