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
        return await OpenRangeAsync(key, range, offset, length, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<Stream?> OpenRangeAsync(string key, ByteRange? range, long offset, long? length, CancellationToken cancellationToken)
    {
        var request = new GetObjectRequest { BucketName = _bucket, Key = FullKey(key), ByteRange = range };
        try
        {
            var response = await _client.GetObjectAsync(request, cancellationToken).ConfigureAwait(false);
            var body = new S3ObjectStream(response, ex => Translate(ex, key, "read", CancellationToken.None));
            return range is null ? body : Fit(body, response.ContentRange, offset, length);
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

    // Services differ at the edges: s3rver answers "bytes=0-0" with the whole object, and a range
    // of an empty object with a body that never comes, where S3 answers 416. The Content-Range the
    // service sends says what it sent (none: the whole object); what lies outside the range asked
    // for is skipped or cut here.
    private static Stream Fit(S3ObjectStream body, string? contentRange, long offset, long? length)
    {
        var (start, total) = ContentRangeOf(contentRange) ?? (0, long.MaxValue);
        if (total == 0 || start >= total)
        {
            body.Dispose();
            return new MemoryStream([], writable: false);
        }
        return Slice(body, Math.Max(0, offset - start), length)!;
    }

    // "bytes 0-9/10": the first byte sent and the object's size; null when absent or unreadable.
    private static (long Start, long Total)? ContentRangeOf(string? header)
    {
        if (header is null || !header.StartsWith("bytes ", StringComparison.OrdinalIgnoreCase)) return null;
        var parts = header[6..].Split('-', '/');
        return parts.Length == 3 && long.TryParse(parts[0], out var start) && long.TryParse(parts[2], out var total) ? (start, total) : null;
    }
}
