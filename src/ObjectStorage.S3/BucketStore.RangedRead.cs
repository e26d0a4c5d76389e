using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace ObjectStorage;

// Ranged reads: part of an object as a stream straight from the service.
public sealed partial class BucketStore
{
    /// <summary>
    /// Opens <paramref name="length"/> bytes of the object from <paramref name="offset"/> (to its
    /// end when <paramref name="length"/> is null) as a stream straight from the service; a range
    /// past the end gives fewer bytes or none. Throws <see cref="ObjectNotFoundException"/> when absent.
    /// </summary>
    public async ValueTask<Stream> OpenReadRangeAsync(string key, long offset, long? length = null, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        ObjectKey.Validate(key);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (length is { } n)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(n, nameof(length));
            if (n == 0)
                return await StatAsyncCore(key, cancellationToken).ConfigureAwait(false) is null ? throw NotFound(key) : Stream.Null;
        }
        var range = new ByteRange(offset, length is { } count ? offset + count - 1 : long.MaxValue);
        return await OpenRangeAsync(key, range, cancellationToken).ConfigureAwait(false) ?? throw NotFound(key);
    }

    /// <inheritdoc cref="OpenReadRangeAsync(string, long, long?, CancellationToken)"/>
    public Stream OpenReadRange(string key, long offset, long? length = null) =>
        Block(() => OpenReadRangeAsync(key, offset, length, CancellationToken.None).AsTask());

    private async ValueTask<Stream?> OpenRangeAsync(string key, ByteRange? range, CancellationToken cancellationToken)
    {
        var request = new GetObjectRequest { BucketName = _bucket, Key = FullKey(key) };
        if (range is not null) request.ByteRange = range.End == long.MaxValue ? new ByteRange($"bytes={range.Start}-") : range;
        try
        {
            var response = await _client.GetObjectAsync(request, cancellationToken).ConfigureAwait(false);
            return new S3ObjectStream(response, ex => Translate(ex, key, "read", CancellationToken.None));
        }
        catch (Exception ex) when (IsMissingKey(ex))
        {
            return null;
        }
        catch (AmazonS3Exception ex) when (range is not null && ex.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            return Stream.Null;
        }
        catch (Exception ex) when (Translate(ex, key, "read", cancellationToken) is { } error)
        {
            throw error;
        }
    }
}
