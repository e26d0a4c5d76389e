using System.Runtime.CompilerServices;

namespace ObjectStorage;

// Listings that a service hands out in pages: the next page is on its way while the caller works through this one.
public abstract partial class ObjectStore
{
    /// <summary>
    /// The pages of a paged listing in order, each asked for while the caller still works through the one before:
    /// <paramref name="fetch"/> gets the continuation token of the page to fetch (null for the first) and answers the
    /// page with the token of the next one (null after the last). A caller that works on each entry (a sync hashing a
    /// local file for each) then waits on the service about once for the whole listing, not once a page. A caller
    /// that stops early cancels the page in flight, and neither waits for it to fail nor sees its failure.
    /// </summary>
    protected static async IAsyncEnumerable<TPage> ReadPagesAhead<TPage>(Func<string?, CancellationToken, Task<(TPage Page, string? Next)>> fetch,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fetch);
        using var abandon = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task<(TPage Page, string? Next)>? next = fetch(null, abandon.Token);
        try
        {
            while (next is not null)
            {
                var (page, token) = await next.ConfigureAwait(false);
                next = token is null ? null : fetch(token, abandon.Token);
                yield return page;
            }
        }
        finally
        {
            if (next is not null)
            {
                await abandon.CancelAsync().ConfigureAwait(false);
                await ((Task)next).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }
}
