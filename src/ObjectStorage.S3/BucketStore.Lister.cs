using System.Runtime.CompilerServices;
using Amazon.S3;
using Amazon.S3.Model;

namespace ObjectStorage;

// Listing: ListObjectsV2 pages, streamed, the next one asked for while this one is handed out (ReadPagesAhead).
public sealed partial class BucketStore
{
    /// <inheritdoc/>
    protected override async IAsyncEnumerable<ObjectInfo> ListAsyncCore(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var pages = ReadPagesAhead((continuation, ct) => PageAsync(_prefix + prefix, continuation, ct), cancellationToken);
        await foreach (var page in pages.ConfigureAwait(false))
        {
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
        }
    }

    // One page of keys under fullPrefix from continuation on, and the token of the next; url encoding lets keys with
    // characters XML 1.0 cannot carry (U+0001, ESC) survive the listing.
    private async Task<(ListObjectsV2Response Page, string? Next)> PageAsync(string fullPrefix, string? continuation, CancellationToken cancellationToken)
    {
        var request = new ListObjectsV2Request { BucketName = _bucket, Prefix = fullPrefix, Encoding = EncodingType.Url, ContinuationToken = continuation };
        try
        {
            var page = await _client.ListObjectsV2Async(request, cancellationToken).ConfigureAwait(false);
            return (page, page.IsTruncated == true ? page.NextContinuationToken : null);
        }
        catch (Exception ex) when (Translate(ex, null, "list", cancellationToken) is { } error)
        {
            throw error;
        }
    }
}
