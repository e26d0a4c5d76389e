using System.Runtime.CompilerServices;

namespace ObjectStorage;

// The measured forms of the public members that hand back the core member's task or sequence
// directly. The public member calls them only when ObjectStoreTelemetry.IsEnabled, so a store
// nobody listens to pays one flag check; the core members are passed as static lambdas, which
// the compiler caches, so that no delegate is allocated on the unmeasured path either.
public abstract partial class ObjectStore
{
    private async ValueTask<T> ObserveAsync<TArg, T>(
        string operation, string key, TArg arg, CancellationToken cancellationToken,
        Func<ObjectStore, string, TArg, CancellationToken, ValueTask<T>> core, Func<TArg, T, long> size)
    {
        var op = StoreOperation.Start(this, operation, key);
        try
        {
            var result = await core(this, key, arg, cancellationToken).ConfigureAwait(false);
            op.Succeeded(size(arg, result));
            return result;
        }
        catch (Exception e) when (op.Failed(e))
        {
            throw;
        }
    }

    private async ValueTask ObserveAsync<TArg>(
        string operation, string key, TArg arg, long size, CancellationToken cancellationToken,
        Func<ObjectStore, string, TArg, CancellationToken, ValueTask> core)
    {
        var op = StoreOperation.Start(this, operation, key);
        try
        {
            await core(this, key, arg, cancellationToken).ConfigureAwait(false);
            op.Succeeded(size);
        }
        catch (Exception e) when (op.Failed(e))
        {
            throw;
        }
    }

    // A listing is measured from its first MoveNext to its end (or to the caller's early Dispose).
    private IEnumerable<T> Observe<T>(string operation, string prefix, IEnumerable<T> items)
    {
        var op = StoreOperation.Start(this, operation, prefix, detached: true);
        try
        {
            using var enumerator = items.GetEnumerator();
            while (true)
            {
                try
                {
                    if (!enumerator.MoveNext()) break;
                }
                catch (Exception e) when (op.Failed(e))
                {
                    throw;
                }
                yield return enumerator.Current;
            }
        }
        finally
        {
            op.Succeeded();
        }
    }

    private async IAsyncEnumerable<T> ObserveAsync<T>(string operation, string prefix, IAsyncEnumerable<T> items,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var op = StoreOperation.Start(this, operation, prefix, detached: true);
        try
        {
            var enumerator = items.GetAsyncEnumerator(cancellationToken);
            await using (enumerator.ConfigureAwait(false))
            {
                while (true)
                {
                    try
                    {
                        if (!await enumerator.MoveNextAsync().ConfigureAwait(false)) break;
                    }
                    catch (Exception e) when (op.Failed(e))
                    {
                        throw;
                    }
                    yield return enumerator.Current;
                }
            }
        }
        finally
        {
            op.Succeeded();
        }
    }
}
