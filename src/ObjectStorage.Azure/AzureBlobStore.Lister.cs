using System.Runtime.CompilerServices;
using Azure.Storage.Blobs.Models;

namespace ObjectStorage;

// Listing: List Blobs pages, streamed, put into UTF-8 byte order on the way (Utf16ListingOrder).
public sealed partial class AzureBlobStore
{
    /// <inheritdoc/>
    protected override IAsyncEnumerable<ObjectInfo> ListAsyncCore(string prefix, CancellationToken cancellationToken) =>
        Utf16ListingOrder.ToUtf8Order(ListAsServiceOrders(prefix, cancellationToken), cancellationToken);

    private async IAsyncEnumerable<ObjectInfo> ListAsServiceOrders(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var pages = _container.GetBlobsAsync(new GetBlobsOptions { Prefix = _prefix + prefix, Traits = BlobTraits.Metadata }, cancellationToken).AsPages().ConfigureAwait(false);
        var enumerator = pages.GetAsyncEnumerator();
        try
        {
            while (true)
            {
                try
                {
                    if (!await enumerator.MoveNextAsync()) yield break;
                }
                catch (Exception ex) when (Translate(ex, null, "list", cancellationToken) is { } error)
                {
                    throw error;
                }
                foreach (var item in enumerator.Current.Values)
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
        finally
        {
            await enumerator.DisposeAsync();
        }
    }
}
