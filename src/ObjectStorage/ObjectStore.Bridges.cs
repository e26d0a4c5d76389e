using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace ObjectStorage;

// How the base class supplies the side of an operation that a derived store does not implement.
public abstract partial class ObjectStore
{
    [Flags]
    private enum Overrides
    {
        None = 0,
        Get = 1 << 0, GetAsync = 1 << 1,
        OpenRead = 1 << 2, OpenReadAsync = 1 << 3,
        Put = 1 << 4, PutAsync = 1 << 5,
        PutStream = 1 << 6, PutStreamAsync = 1 << 7,
        PutIfNotExists = 1 << 8, PutIfNotExistsAsync = 1 << 9,
        Exists = 1 << 10, ExistsAsync = 1 << 11,
        Stat = 1 << 12, StatAsync = 1 << 13,
        Delete = 1 << 14, DeleteAsync = 1 << 15,
        Keys = 1 << 16, KeysAsync = 1 << 17,
        List = 1 << 18, ListAsync = 1 << 19,
        OpenRange = 1 << 20, OpenRangeAsync = 1 << 21,
        DeleteMany = 1 << 22, DeleteManyAsync = 1 << 23,
        DeletePrefix = 1 << 24, DeletePrefixAsync = 1 << 25,
        PutMany = 1 << 26, PutManyAsync = 1 << 27,
        Presign = 1 << 28, PresignAsync = 1 << 29,
    }

    // Kept apart from ObjectStore's own methods: the type's annotation (ObjectStore.cs) keeps every store's
    // methods for the scan, and a scanning method among them would be reflected on itself.
    private static class OverrideScan
    {
        private static readonly ConcurrentDictionary<Type, Overrides> ByType = new();

        public static Overrides Of([DynamicallyAccessedMembers(ScannedMembers)] Type type)
        {
            if (ByType.TryGetValue(type, out var known)) return known;
            var found = Overrides.None;
            foreach (var flag in Enum.GetValues<Overrides>())
            {
                if (flag == Overrides.None) continue;
                var method = type.GetMethod(flag + "Core", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public);
                if (method is not null && method.GetBaseDefinition().DeclaringType == typeof(ObjectStore) && method.DeclaringType != typeof(ObjectStore))
                    found |= flag;
            }
            return ByType[type] = found;
        }
    }

    private bool Has(Overrides side) => (_overrides & side) != 0;

    // A primitive operation with neither side implemented would otherwise recurse between the two defaults.
    private void Require(Overrides otherSide, string operation)
    {
        if (!Has(otherSide))
            throw Unsupported(operation, $"{GetType().Name} implements neither {operation}Core nor its async twin");
    }

    // Sync over async. Under a SynchronizationContext (or a custom scheduler) the operation starts
    // on the thread pool, so no continuation of it waits for the blocked calling thread; without
    // one it starts inline and its continuations already run on the pool.
    private static bool MustLeaveCallingThread =>
        SynchronizationContext.Current is not null || TaskScheduler.Current != TaskScheduler.Default;

    private static T RunSync<T>(Func<ValueTask<T>> operation)
    {
        if (MustLeaveCallingThread) return Task.Run(() => operation().AsTask()).GetAwaiter().GetResult();
        var task = operation();
        return task.IsCompletedSuccessfully ? task.Result : task.AsTask().GetAwaiter().GetResult();
    }

    private static void RunSync(Func<ValueTask> operation)
    {
        if (MustLeaveCallingThread)
        {
            Task.Run(() => operation().AsTask()).GetAwaiter().GetResult();
            return;
        }
        var task = operation();
        if (!task.IsCompletedSuccessfully) task.AsTask().GetAwaiter().GetResult();
    }

    // Async over sync: the medium's sync work runs on the calling thread, and its outcome, a
    // failure or cancellation included, is the returned task's, never an exception at the call.
    private static ValueTask<T> FromSync<TState, T>(TState state, Func<TState, T> operation, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested) return ValueTask.FromCanceled<T>(cancellationToken);
        try
        {
            return ValueTask.FromResult(operation(state));
        }
        catch (Exception ex)
        {
            return ValueTask.FromException<T>(ex);
        }
    }

    private static IEnumerable<T> RunSync<T>(IAsyncEnumerable<T> source)
    {
        var enumerator = source.GetAsyncEnumerator();
        try
        {
            while (RunSync(() => enumerator.MoveNextAsync())) yield return enumerator.Current;
        }
        finally
        {
            RunSync(() => enumerator.DisposeAsync());
        }
    }

    private static async IAsyncEnumerable<T> AsAsync<T>(IEnumerable<T> source, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        foreach (var item in source)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return item;
        }
        await Task.CompletedTask.ConfigureAwait(false);
    }
}

internal static class ValueTaskExtensions
{
    /// <summary>The same outcome without the result.</summary>
    public static ValueTask AsVoid(this ValueTask<bool> task)
    {
        if (task.IsCompletedSuccessfully) return ValueTask.CompletedTask;
        return new ValueTask(task.AsTask());
    }
}
