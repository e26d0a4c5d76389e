using System.Runtime.CompilerServices;
using Azure.Storage.Blobs.Models;

namespace ObjectStorage;

// Listing: List Blobs pages, streamed, the next one asked for while this one is handed out (ReadPagesAhead), put
// into UTF-8 byte order on the way (Utf16ListingOrder).
public sealed partial class AzureBlobStore
{
    /// <inheritdoc/>
    protected override IAsyncEnumerable<ObjectInfo> ListAsyncCore(string prefix, CancellationToken cancellationToken) =>
        Utf16ListingOrder.ToUtf8Order(ListAsServiceOrders(prefix, cancellationToken), cancellationToken);

    private async IAsyncEnumerable<ObjectInfo> ListAsServiceOrders(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var pages = ReadPagesAhead((continuation, ct) => PageAsync(_prefix + prefix, continuation, ct), cancellationToken);
        await foreach (var page in pages.ConfigureAwait(false))
        {
            foreach (var item in page)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var key = item.Name[_prefix.Length..];
                if (ObjectKey.FindBrokenRule(key, isPrefix: false) is { } rule)
                {
                    ReportSkipped(item.Name, $"the blob's name is not a key a store can hold: {rule}");
                    continue;
                }
                var properties = item.Properties;
                yield return InfoOf(key, properties.ContentLength ?? 0, properties.LastModified, properties.ETag?.ToString(), properties.ContentType, item.Metadata);
            }
        }
    }

    // One page of blobs under fullPrefix from continuation on, and the token of the next (the service ends with an empty one).
    private async Task<(IReadOnlyList<BlobItem> Page, string? Next)> PageAsync(string fullPrefix, string? continuation, CancellationToken cancellationToken)
    {
        try
        {
            var pages = _container.GetBlobsAsync(new GetBlobsOptions { Prefix = fullPrefix, Traits = BlobTraits.Metadata }, cancellationToken).AsPages(continuation, _options.ListPageSize);
            var enumerator = pages.GetAsyncEnumerator(cancellationToken);
            await using (enumerator.ConfigureAwait(false))
            {
                if (!await enumerator.MoveNextAsync().ConfigureAwait(false)) return ([], null);
                var page = enumerator.Current;
                return (page.Values, string.IsNullOrEmpty(page.ContinuationToken) ? null : page.ContinuationToken);
            }
        }
        catch (Exception ex) when (Translate(ex, null, "list", cancellationToken) is { } error)
        {
            throw error;
        }
    }
}
