using System.Runtime.CompilerServices;
using Amazon.S3;
using Amazon.S3.Model;

namespace ObjectStorage;

// Listing: ListObjectsV2 pages, streamed.
public sealed partial class BucketStore
{

    /// <inheritdoc/>
    protected override async IAsyncEnumerable<ObjectInfo> ListAsyncCore(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Url encoding lets keys with characters XML 1.0 cannot carry (U+0001, ESC) survive the listing.
        var request = new ListObjectsV2Request { BucketName = _bucket, Prefix = _prefix + prefix, Encoding = EncodingType.Url };
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
                // S3 encodes as a form does (a space is "+"); a server that ignores encoding-type leaves Encoding unset.
                var fullKey = page.Encoding == EncodingType.Url ? System.Net.WebUtility.UrlDecode(entry.Key) : entry.Key;
                var key = fullKey[_prefix.Length..];
                if (ObjectKey.FindBrokenRule(key, isPrefix: false) is { } rule)
                {
                    ReportSkipped(fullKey, $"the object's key is not one a store can hold: {rule}");
                    continue;
                }
                yield return new ObjectInfo(key, entry.Size ?? 0, ToOffset(entry.LastModified), entry.ETag);
            }
            if (page.IsTruncated != true) yield break;
            request.ContinuationToken = page.NextContinuationToken;
        }
    }
}
