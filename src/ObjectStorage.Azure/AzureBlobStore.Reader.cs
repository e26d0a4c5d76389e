using Azure;
using Azure.Storage.Blobs.Models;

namespace ObjectStorage;

// Reads: whole objects, streams, ranges and properties.
public sealed partial class AzureBlobStore
{
    /// <summary>True: a range is one GET with a Range header; only its bytes cross the network.</summary>
    public override bool IsRangeReadNative => true;

    /// <inheritdoc/>
    protected override async ValueTask<byte[]?> GetAsyncCore(string key, CancellationToken cancellationToken)
    {
        var blob = Blob(key);
        try
        {
            var response = await blob.DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return response.Value.Content.ToArray();
        }
        catch (RequestFailedException ex) when (IsMissingBlob(ex))
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
        OpenRangeAsyncCore(key, 0, null, cancellationToken);

    /// <inheritdoc/>
    protected override async ValueTask<Stream?> OpenRangeAsyncCore(string key, long offset, long? length, CancellationToken cancellationToken)
    {
        // HTTP cannot ask for zero bytes: whether the object exists is all there is to learn.
        if (length == 0)
            return await StatAsyncCore(key, cancellationToken).ConfigureAwait(false) is null ? null : new MemoryStream([], writable: false);
        var blob = Blob(key);
        try
        {
            var options = new BlobDownloadOptions { Range = offset == 0 && length is null ? default : new HttpRange(offset, length) };
            var response = await blob.DownloadStreamingAsync(options, cancellationToken).ConfigureAwait(false);
            return response.Value.Content;
        }
        catch (RequestFailedException ex) when (IsMissingBlob(ex))
        {
            return null;
        }
        // 416: the blob exists and the range starts at or after its end (or the blob is empty).
        catch (RequestFailedException ex) when (ex.Status == 416)
        {
            return new MemoryStream([], writable: false);
        }
        catch (Exception ex) when (Translate(ex, key, "read", cancellationToken) is { } error)
        {
            throw error;
        }
    }

    /// <inheritdoc/>
    protected override async ValueTask<ObjectInfo?> StatAsyncCore(string key, CancellationToken cancellationToken)
    {
        var blob = Blob(key);
        try
        {
            var properties = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
            return InfoOf(key, properties.ContentLength, properties.LastModified, properties.ETag.ToString(), properties.ContentType, properties.Metadata);
        }
        catch (RequestFailedException ex) when (IsMissingBlob(ex))
        {
            return null;
        }
        catch (Exception ex) when (Translate(ex, key, "look up", cancellationToken) is { } error)
        {
            throw error;
        }
    }
}
