using System.Runtime.CompilerServices;
using Amazon.S3;
using Amazon.S3.Model;

namespace ObjectStorage;

// Listing: ListObjectsV2 pages, streamed, the next one asked for while this one is handed out.
public sealed partial class BucketStore
{
    /// <inheritdoc/>
    /// <remarks>
    /// While the entries of one page are handed out, the next page is already on its way: a caller that works on
    /// each entry (a sync hashing the local file of each) waits on the server once for the whole listing, not once
    /// a page. A caller that stops early cancels the page in flight.
    /// </remarks>
    protected override async IAsyncEnumerable<ObjectInfo> ListAsyncCore(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var abandon = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task<ListObjectsV2Response>? next = PageAsync(_prefix + prefix, null, abandon.Token);
        try
        {
            while (next is not null)
            {
                var page = await next.ConfigureAwait(false);
                next = page.IsTruncated == true ? PageAsync(_prefix + prefix, page.NextContinuationToken, abandon.Token) : null;
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
        finally
        {
            // Stopped early: the page in flight is not wanted, and neither is its outcome.
            if (next is not null)
            {
                abandon.Cancel();
                await ((Task)next).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    // One page of keys under fullPrefix from continuation on; url encoding lets keys with characters XML 1.0 cannot
    // carry (U+0001, ESC) survive the listing.
    private async Task<ListObjectsV2Response> PageAsync(string fullPrefix, string? continuation, CancellationToken cancellationToken)
    {
        var request = new ListObjectsV2Request { BucketName = _bucket, Prefix = fullPrefix, Encoding = EncodingType.Url, ContinuationToken = continuation };
        try
        {
            return await _client.ListObjectsV2Async(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (Translate(ex, null, "list", cancellationToken) is { } error)
        {
            throw error;
        }
    }
}
