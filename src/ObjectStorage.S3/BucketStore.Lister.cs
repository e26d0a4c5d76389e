using System.Runtime.CompilerServices;
using Amazon.S3.Model;

namespace ObjectStorage;

// Listing: ListObjectsV2 pages, streamed.
public sealed partial class BucketStore
{

    /// <inheritdoc/>
    protected override async IAsyncEnumerable<ObjectInfo> ListAsyncCore(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var request = new ListObjectsV2Request { BucketName = _bucket, Prefix = _prefix + prefix };
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ListObjectsV2Response page;
            try
            {
                page = await _client.ListObjectsV2Async(request, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (Translate(ex, null, "list", cancellationToken) is { } error)
            {
                throw error;
            }
            foreach (var entry in page.S3Objects ?? [])
            {
                cancellationToken.ThrowIfCancellationRequested();
                var key = entry.Key[_prefix.Length..];
                // Objects another client put under names no store key can have (a//b) are not the store's.
                if (!ObjectKey.IsValid(key)) continue;
                yield return new ObjectInfo(key, entry.Size ?? 0, ToOffset(entry.LastModified), entry.ETag);
            }
            if (page.IsTruncated != true) yield break;
            request.ContinuationToken = page.NextContinuationToken;
        }
    }
}
